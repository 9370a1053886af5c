#!/usr/bin/env python3
"""Reference cases for GELU activations (test/fixtures/rnn_gelu*), from PyTorch in float64.

Each case is cells/rnn.cell (PyTorch's Elman cell) with its `act` slot bound to `gelu` or
`gelu_tanh`: h' = F.gelu(W_ih x + b_ih + W_hh h + b_hh, approximate='none' or 'tanh'), computed
with torch.nn.functional.gelu in float64. nn.RNN itself takes only tanh and relu, so the stack
(layers, directions, batch-first, initial states, as nn.RNN) is written out below; with tanh it
must reproduce nn.RNN in float64 to 1e-12 before anything is written. The weights are nn.RNN's
own initialisation, by its state_dict names, rounded to float32 (what the files hold) before the
float64 forward; so are the inputs and initial states. Each case must also miss the other GELU
(tanh for exact, exact for tanh) by 10 tolerances or more, so it can tell the two apart.

Files per case, in the format of test/fixtures/README.md, written by tools/fixture_io.py:
case.json ("activations": {"act": "gelu"} or {"act": "gelu_tanh"}), weights.safetensors,
input.npy, h0.npy when initial states are given, output.npy, h_n.npy.

Run from the repository root with the system Python (PyTorch 1.13 and numpy):

    /usr/bin/python3 tools/gen_gelu_fixtures.py

Every case is seeded, so a rerun on the same PyTorch writes the same bytes. Tests and CI read the
committed files only; they never need Python.
"""

import os

import numpy as np
import torch
import torch.nn.functional as F

from fixture_io import write_case

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
TOLERANCE = {"atol": 1e-05, "rtol": 0.0001}
APPROXIMATE = {"gelu": "none", "gelu_tanh": "tanh"}

CASES = [
    {
        "name": "rnn_gelu",
        "act": "gelu",
        "seed": 301,
        "args": dict(input_size=5, hidden_size=7),
        "T": 6,
        "B": 3,
        "initial": True,
    },
    {
        "name": "rnn_gelu_2layer_bidir",
        "act": "gelu",
        "seed": 302,
        "args": dict(input_size=4, hidden_size=6, num_layers=2, bidirectional=True, batch_first=True),
        "T": 5,
        "B": 4,
        "initial": False,
    },
    {
        "name": "rnn_gelu_tanh",
        "act": "gelu_tanh",
        "seed": 303,
        "args": dict(input_size=6, hidden_size=5, num_layers=2),
        "T": 7,
        "B": 2,
        "initial": True,
    },
]

# Inputs drawn with this spread put pre-activations well past +-sqrt(2), over both of erf's
# ranges and where the two GELUs differ most (around +-2).
INPUT_SCALE = 2.0


def as_stored(t):
    """The float64 value of what a float32 file holds."""
    return t.float().double()


def forward(p, x, h0, layers, bidirectional, batch_first, act):
    """nn.RNN's stack with any activation: x is (T, B, I), or (B, T, I) when batch_first."""
    D = 2 if bidirectional else 1
    layer_in = x.transpose(0, 1) if batch_first else x
    T, B = layer_in.shape[0], layer_in.shape[1]
    finals = []
    for layer in range(layers):
        outputs = []
        for d in range(D):
            s = f"_l{layer}" + ("_reverse" if d == 1 else "")
            h = h0[layer * D + d]
            out = torch.zeros(T, B, h.shape[-1], dtype=torch.float64)
            for step in range(T):
                t = T - 1 - step if d == 1 else step
                z = layer_in[t] @ p[f"weight_ih{s}"].T + p[f"bias_ih{s}"]
                h = act(z + h @ p[f"weight_hh{s}"].T + p[f"bias_hh{s}"])
                out[t] = h
            outputs.append(out)
            finals.append(h)
        layer_in = torch.cat(outputs, dim=2)
    output = layer_in.transpose(0, 1) if batch_first else layer_in
    return output, torch.stack(finals)


def gelu(name):
    return lambda z: F.gelu(z, approximate=APPROXIMATE[name])


def check_stack(case, p, x, h0):
    """With tanh the stack above must be nn.RNN's, in float64."""
    module = torch.nn.RNN(**case["args"]).double()
    module.load_state_dict(p)
    with torch.no_grad():
        want, want_h = module(x, h0)
    args = case["args"]
    got, got_h = forward(p, x, h0, args.get("num_layers", 1), args.get("bidirectional", False),
                         args.get("batch_first", False), torch.tanh)
    gap = max((got - want).abs().max().item(), (got_h - want_h).abs().max().item())
    assert gap < 1e-12, f"{case['name']}: the stack differs from nn.RNN by {gap}"


def tolerances_off(got, want):
    """How many tolerances `got` is from `want` at its worst element."""
    bound = TOLERANCE["atol"] + TOLERANCE["rtol"] * want.abs()
    return ((got - want).abs() / bound).max().item()


def generate(case):
    torch.manual_seed(case["seed"])
    args = case["args"]
    layers, batch_first = args.get("num_layers", 1), args.get("batch_first", False)
    bidirectional = args.get("bidirectional", False)
    D, H, T, B = 2 if bidirectional else 1, args["hidden_size"], case["T"], case["B"]
    module = torch.nn.RNN(**args)
    p = {k: as_stored(v.detach()) for k, v in module.state_dict().items()}
    shape = (B, T, args["input_size"]) if batch_first else (T, B, args["input_size"])
    x = as_stored(torch.randn(*shape) * INPUT_SCALE)
    h0 = as_stored(torch.randn(layers * D, B, H)) if case["initial"] else None
    zeros = torch.zeros(layers * D, B, H, dtype=torch.float64)
    check_stack(case, p, x, zeros if h0 is None else h0)

    run = lambda name: forward(p, x, zeros if h0 is None else h0, layers, bidirectional,
                               batch_first, gelu(name))
    with torch.no_grad():
        output, h_n = run(case["act"])
        other = "gelu_tanh" if case["act"] == "gelu" else "gelu"
        wrong, wrong_h = run(other)
    gap = max(tolerances_off(wrong, output), tolerances_off(wrong_h, h_n))
    assert gap >= 10, f"{case['name']}: {other} is only {gap:.1f} tolerances away"

    arrays = {"input.npy": x.numpy(), "output.npy": output.numpy(), "h_n.npy": h_n.numpy()}
    states = {}
    if h0 is not None:
        arrays["h0.npy"] = h0.numpy()
        states["h"] = "h0.npy"
    rest = "".join(f", {k}={v}" for k, v in args.items() if k not in ("input_size", "hidden_size"))
    approximate = APPROXIMATE[case["act"]]
    spec = {
        "description": (
            f"nn.RNN({args['input_size']}, {H}{rest}) with GELU(approximate='{approximate}') "
            f"for tanh, {'given h0' if h0 is not None else 'zero initial state'}"
        ),
        "cell": "rnn",
        "reference": (
            f"torch {torch.__version__} float64 (F.gelu, approximate='{approximate}'), "
            "tools/gen_gelu_fixtures.py"
        ),
        "module": {
            "type": "RNN",
            "input_size": args["input_size"],
            "hidden_size": H,
            "num_layers": layers,
            "bias": True,
            "batch_first": batch_first,
            "bidirectional": bidirectional,
            "nonlinearity": case["act"],
        },
        "activations": {"act": case["act"]},
        "input": "input.npy",
        "weights": "weights.safetensors",
        "states": states,
        "expected": {"output": "output.npy", "h": "h_n.npy"},
        "tolerance": TOLERANCE,
    }
    write_case(OUT, case["name"], spec, {k: v.numpy() for k, v in p.items()}, arrays)
    print(f"{case['name']}: {other} misses by {gap:.0f} tolerances")


if __name__ == "__main__":
    for c in CASES:
        generate(c)
