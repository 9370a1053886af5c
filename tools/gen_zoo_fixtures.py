#!/usr/bin/env python3
"""Float64 reference fixtures for the zoo of shipped cells (test/fixtures/<cell>_*/).

Run from the repository root:  /usr/bin/python3 tools/gen_zoo_fixtures.py
Needs numpy; PyTorch (1.13 was used) for the self-checks and the one PyTorch case.
Deterministic: every case has its own seed, so a rerun rewrites identical files.

Independence. The step functions below are written from each paper's equations, not from the
.cell files: a fixture is a second, separate reading of the paper that the compiled cell must
agree with. The stack around them (layers, directions, batch-first, initial states) follows
PyTorch's nn.LSTM conventions and is itself checked against torch.nn.LSTM/GRU in float64
before anything is written, as are two cells PyTorch can compute another way (IndRNN is
nn.RNN(relu) with a diagonal recurrent matrix; a peephole LSTM with zero peepholes is
nn.LSTM). Each case is also run through a likely misreading of its paper (the output gate
peeking at the old c, the two sides of an update swapped, no beta shift, ...) which must miss
the expected values by far more than the tolerance, so the fixture can tell them apart.

Weights are drawn in float32 (what the files hold) and the forward runs in float64 on those
values; outputs are rounded to float32 only when written. The tolerance (atol 1e-5, rtol 1e-4,
as for the PyTorch cases) is for the float32 kernels: see README.md, Correctness, and the
measured errors printed by `cellc compare test/fixtures/*/`.

Files per case, in the format of test/fixtures/README.md, written by tools/fixture_io.py:
case.json, weights.safetensors, input.npy, h0.npy/c0.npy when initial states are given,
output.npy, h_n.npy/c_n.npy.
"""

import os
import sys

import numpy as np

from fixture_io import write_case as write_files

OUT_DIR = os.path.join("test", "fixtures")
REFERENCE = "numpy float64 (tools/gen_zoo_fixtures.py)"
TOLERANCE = {"atol": 1e-05, "rtol": 0.0001}


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def relu(v):
    return np.maximum(v, 0.0)


ACTS = {"sigmoid": sigmoid, "tanh": np.tanh, "relu": relu}


def linear(w, v):
    """v @ w.T for a batch v of shape (B, n) and a weight w of shape (m, n)."""
    return v @ w.T


def blocks(v, n):
    """The n equal blocks of the last axis (the gate blocks of a stacked pre-activation)."""
    return np.split(v, n, axis=-1)


# ---------------------------------------------------------------------------------------------
# One step of each cell, from its paper. p: one layer and direction's weights (float64), x: the
# input batch (B, I), s: the states by name, each (B, H). Returns (output, new states).
# A missing optional weight (a bias, a peephole) is zero; `opt` carries the case's variant.
# ---------------------------------------------------------------------------------------------


def get(p, name, shape):
    return p[name] if name in p else np.zeros(shape)


def peephole_lstm_step(p, x, s, opt):
    """Gers & Schmidhuber (2000): i and f peek at c(t-1), o at c(t); ONNX LSTM's equations.
    Weights stacked i, f, g, o (nn.LSTM)."""
    h, c = s["h"], s["c"]
    H = h.shape[1]
    pre = linear(p["weight_ih"], x) + linear(p["weight_hh"], h)
    pre = pre + get(p, "bias_ih", 4 * H) + get(p, "bias_hh", 4 * H)
    a_i, a_f, a_g, a_o = blocks(pre, 4)
    i = sigmoid(a_i + p["peep_i"] * c)
    f = sigmoid(a_f + p["peep_f"] * c)
    g = np.tanh(a_g)
    c_new = f * c + i * g
    peek = c if opt.get("misread") else c_new  # misreading: o peeks at the old c
    o = sigmoid(a_o + p["peep_o"] * peek)
    h_new = o * np.tanh(c_new)
    return h_new, {"h": h_new, "c": c_new}


def cifg_lstm_step(p, x, s, opt):
    """Greff et al. (2017), CIFG: the vanilla LSTM (with peepholes) with f = 1 - i. Weights
    stacked i, g, o. ONNX LSTM with input_forget=1 computes the same."""
    h, c = s["h"], s["c"]
    H = h.shape[1]
    pre = linear(p["weight_ih"], x) + linear(p["weight_hh"], h)
    pre = pre + get(p, "bias_ih", 3 * H) + get(p, "bias_hh", 3 * H)
    a_i, a_g, a_o = blocks(pre, 3)
    i = sigmoid(a_i + get(p, "peep_i", H) * c)
    f = 1.0 - i
    if opt.get("misread"):  # misreading: the coupled gate taken as f, with i = 1 - f
        i, f = f, i
    c_new = f * c + i * np.tanh(a_g)
    o = sigmoid(a_o + get(p, "peep_o", H) * c_new)
    h_new = o * np.tanh(c_new)
    return h_new, {"h": h_new, "c": c_new}


def indrnn_step(p, x, s, opt):
    """Li et al. (2018): h(t) = relu(W x(t) + u * h(t-1) + b), u a vector."""
    h = s["h"]
    H = h.shape[1]
    act = ACTS[opt.get("act", "relu")]
    if opt.get("misread"):  # misreading: tanh, as in a plain RNN
        act = np.tanh if act is relu else relu
    pre = linear(p["weight_ih"], x) + p["weight_hh"] * h
    h_new = act(pre + get(p, "bias_ih", H) + get(p, "bias_hh", H))
    return h_new, {"h": h_new}


def mgu_step(p, x, s, opt):
    """Zhou et al. (2016): f = sigma(W_f x + U_f h + b_f); n = tanh(W_n x + U_n (f h) + b_n);
    h(t) = (1 - f) h(t-1) + f n. Weights stacked f, n."""
    h = s["h"]
    H = h.shape[1]
    x_f, x_n = blocks(linear(p["weight_ih"], x) + get(p, "bias_ih", 2 * H), 2)
    u_f, u_n = np.split(p["weight_hh"], 2, axis=0)  # the rows of U_f and U_n
    b_f, b_n = blocks(get(p, "bias_hh", 2 * H), 2)
    f = sigmoid(x_f + linear(u_f, h) + b_f)
    n = np.tanh(x_n + linear(u_n, f * h) + b_n)
    if opt.get("misread"):  # misreading: the two sides of the update swapped
        f = 1.0 - f
    h_new = (1.0 - f) * h + f * n
    return h_new, {"h": h_new}


def janet_step(p, x, s, opt):
    """van der Westhuizen & Lasenby (2018): s = U_f h + W_f x + b_f;
    c(t) = sigma(s) c(t-1) + (1 - sigma(s - beta)) tanh(U_c h + W_c x + b_c); h(t) = c(t).
    Weights stacked f, c; beta = 1 unless the weights hold it."""
    h = s["h"]
    H = h.shape[1]
    beta = float(p["beta"]) if "beta" in p else 1.0
    if opt.get("misread"):  # misreading: no shift, the input gate is 1 - f
        beta = 0.0
    pre = linear(p["weight_ih"], x) + linear(p["weight_hh"], h)
    pre = pre + get(p, "bias_ih", 2 * H) + get(p, "bias_hh", 2 * H)
    a_s, a_c = blocks(pre, 2)
    c_new = sigmoid(a_s) * h + (1.0 - sigmoid(a_s - beta)) * np.tanh(a_c)
    return c_new, {"h": c_new}


def ugrnn_step(p, x, s, opt):
    """Collins et al. (2017): c = tanh(W_c x + U_c h + b_c); g = sigma(W_g x + U_g h + b_g);
    h(t) = g h(t-1) + (1 - g) c. Weights stacked g, c (TensorFlow's UGRNNCell)."""
    h = s["h"]
    H = h.shape[1]
    pre = linear(p["weight_ih"], x) + linear(p["weight_hh"], h)
    pre = pre + get(p, "bias_ih", 2 * H) + get(p, "bias_hh", 2 * H)
    a_g, a_c = blocks(pre, 2)
    g = sigmoid(a_g)
    if opt.get("misread"):  # misreading: the two sides of the update swapped
        g = 1.0 - g
    h_new = g * h + (1.0 - g) * np.tanh(a_c)
    return h_new, {"h": h_new}


def minimalrnn_step(p, x, s, opt):
    """Chen (2017): z = Phi(x) = tanh(W_x x + b_z); u = sigma(U_h h + U_z z + b_u);
    h(t) = u h(t-1) + (1 - u) z."""
    h = s["h"]
    H = h.shape[1]
    z = np.tanh(linear(p["weight_ih"], x) + get(p, "bias_ih", H))
    u = sigmoid(linear(p["weight_hh"], h) + linear(p["weight_zh"], z) + get(p, "bias_hh", H))
    if opt.get("misread"):  # misreading: the two sides of the update swapped
        u = 1.0 - u
    h_new = u * h + (1.0 - u) * z
    return h_new, {"h": h_new}


def lstm_step(p, x, s, opt):
    """nn.LSTM's cell, only for checking the stack against PyTorch."""
    h, c = s["h"], s["c"]
    pre = linear(p["weight_ih"], x) + linear(p["weight_hh"], h) + p["bias_ih"] + p["bias_hh"]
    a_i, a_f, a_g, a_o = blocks(pre, 4)
    c_new = sigmoid(a_f) * c + sigmoid(a_i) * np.tanh(a_g)
    h_new = sigmoid(a_o) * np.tanh(c_new)
    return h_new, {"h": h_new, "c": c_new}


def gru_step(p, x, s, opt):
    """nn.GRU's cell, only for checking the stack against PyTorch."""
    h = s["h"]
    x_r, x_z, x_n = blocks(linear(p["weight_ih"], x) + p["bias_ih"], 3)
    h_r, h_z, h_n = blocks(linear(p["weight_hh"], h) + p["bias_hh"], 3)
    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)
    h_new = (1 - z) * n + z * h
    return h_new, {"h": h_new}


# ---------------------------------------------------------------------------------------------
# The stack, as nn.LSTM runs one: layer k > 0 reads layer k-1's outputs, both directions
# concatenated; the reverse direction runs from the last step to the first and its outputs are
# aligned with input time; states are (layers * D, B, size), index k * D + d; zeros by default.
# ---------------------------------------------------------------------------------------------


def run_stack(step, weights, x, init, layers, bidirectional, batch_first, opt):
    """weights[(k, d)]: a dict of float64 arrays; x: float64 (T, B, I), or (B, T, I) with
    batch_first; init: state name -> (layers * D, B, H) arrays. Returns (output, finals)."""
    D = 2 if bidirectional else 1
    seq = np.swapaxes(x, 0, 1) if batch_first else x
    T = seq.shape[0]
    finals = {name: np.empty_like(v) for name, v in init.items()}
    for k in range(layers):
        outs = []
        for d in range(D):
            s = {name: v[k * D + d] for name, v in init.items()}
            out = [None] * T
            for t in range(T) if d == 0 else reversed(range(T)):
                out[t], s = step(weights[(k, d)], seq[t], s, opt)
            for name in finals:
                finals[name][k * D + d] = s[name]
            outs.append(np.stack(out))
        seq = np.concatenate(outs, axis=2)
    out = np.swapaxes(seq, 0, 1) if batch_first else seq
    return out, finals


# ---------------------------------------------------------------------------------------------
# The cells: step, states, and how to draw one layer-direction's weights (float32).
# ---------------------------------------------------------------------------------------------


def uniform(rng, shape, scale):
    return rng.uniform(-scale, scale, size=shape).astype(np.float32)


def lstm_like(gates, peepholes):
    def draw(rng, I, H, opt):
        k = 1.0 / np.sqrt(H)  # nn.LSTM's initialisation range
        w = {
            "weight_ih": uniform(rng, (gates * H, I), k),
            "weight_hh": uniform(rng, (gates * H, H), k),
        }
        if opt.get("bias", True):
            w["bias_ih"] = uniform(rng, (gates * H,), k)
            w["bias_hh"] = uniform(rng, (gates * H,), k)
        if opt.get("peepholes", True):
            for name in peepholes:
                w[name] = uniform(rng, (H,), 0.5)
        return w

    return draw


def indrnn_draw(rng, I, H, opt):
    w = {"weight_ih": uniform(rng, (H, I), 0.5), "weight_hh": uniform(rng, (H,), 1.0)}
    if opt.get("bias", True):
        w["bias_ih"] = uniform(rng, (H,), 0.3)
        w["bias_hh"] = uniform(rng, (H,), 0.3)
    return w


def janet_draw(rng, I, H, opt):
    w = lstm_like(2, ())(rng, I, H, opt)
    if "beta" in opt:
        w["beta"] = np.array(opt["beta"].pop(0), dtype=np.float32)  # one per layer-direction
    return w


def minimalrnn_draw(rng, I, H, opt):
    k = 1.0 / np.sqrt(H)
    w = {
        "weight_ih": uniform(rng, (H, I), 0.5),
        "weight_zh": uniform(rng, (H, H), k),
        "weight_hh": uniform(rng, (H, H), k),
    }
    if opt.get("bias", True):
        w["bias_ih"] = uniform(rng, (H,), k)
        w["bias_hh"] = uniform(rng, (H,), k)
    return w


CELLS = {
    "peephole_lstm": (peephole_lstm_step, ("h", "c"), lstm_like(4, ("peep_i", "peep_f", "peep_o"))),
    "cifg_lstm": (cifg_lstm_step, ("h", "c"), lstm_like(3, ("peep_i", "peep_o"))),
    "indrnn": (indrnn_step, ("h",), indrnn_draw),
    "mgu": (mgu_step, ("h",), lstm_like(2, ())),
    "janet": (janet_step, ("h",), janet_draw),
    "ugrnn": (ugrnn_step, ("h",), lstm_like(2, ())),
    "minimalrnn": (minimalrnn_step, ("h",), minimalrnn_draw),
}

PAPERS = {
    "peephole_lstm": "Gers & Schmidhuber 2000",
    "cifg_lstm": "Greff et al. 2017",
    "indrnn": "Li et al. 2018",
    "mgu": "Zhou et al. 2016",
    "janet": "van der Westhuizen & Lasenby 2018",
    "ugrnn": "Collins et al. 2017",
    "minimalrnn": "Chen 2017",
}


# ---------------------------------------------------------------------------------------------
# The configurations every cell gets. `plain`: one forward layer saved without _l0 suffixes (as
# nn.LSTMCell saves it); `threads`: large enough that a forward with threads: 2 is split.
# ---------------------------------------------------------------------------------------------

CONFIGS = [
    dict(suffix="cell", layers=1, bidir=False, bf=False, T=6, B=3, I=5, H=7, init=False,
         plain=True),
    dict(suffix="2layer_bidir", layers=2, bidir=True, bf=False, T=5, B=3, I=4, H=6, init=True),
    dict(suffix="batch_first", layers=2, bidir=False, bf=True, T=7, B=2, I=3, H=5, init=True,
         bias=False),
    dict(suffix="threads", layers=1, bidir=True, bf=False, T=16, B=8, I=32, H=32, init=True),
]

# Per cell, what its batch_first case changes besides dropping the biases.
VARIANTS = {
    "cifg_lstm": {"peepholes": False},  # the CIFG of most libraries: no peepholes
    "janet": {"beta": [0.5, 2.0]},  # beta given per layer, instead of the default 1
    "indrnn": {"act": "tanh", "activations": {"act": "tanh"}},  # the slot overridden
}


def describe(cell, cfg, opt):
    parts = [f"{cell}({cfg['I']}, {cfg['H']})"]
    parts.append("one cell, unsuffixed names" if cfg.get("plain") else f"{cfg['layers']} layer(s)")
    if cfg["bidir"]:
        parts.append("bidirectional")
    if cfg["bf"]:
        parts.append("batch_first")
    parts.append("given initial states" if cfg["init"] else "zero initial states")
    if not opt.get("bias", True):
        parts.append("no biases")
    if opt.get("peepholes") is False:
        parts.append("no peepholes")
    if "beta" in opt:
        parts.append("beta 0.5 / 2.0 per layer")
    if "activations" in opt:
        parts.append("act=" + opt["activations"]["act"])
    if cfg["T"] * cfg["B"] >= 100:
        parts.append("large enough to split over 2 threads")
    return ", ".join(parts) + f" ({PAPERS[cell]})"


def make_case(cell, index, cfg):
    step, state_names, draw = CELLS[cell]
    opt = {"bias": cfg.get("bias", True)}
    if cfg["suffix"] == "batch_first":
        for key, value in VARIANTS.get(cell, {}).items():
            opt[key] = list(value) if isinstance(value, list) else value  # janet_draw pops beta
    rng = np.random.default_rng(1000 * (list(CELLS).index(cell) + 1) + index)
    D = 2 if cfg["bidir"] else 1
    weights32, named = {}, {}
    for k in range(cfg["layers"]):
        I = cfg["I"] if k == 0 else D * cfg["H"]
        for d in range(D):
            w = draw(rng, I, cfg["H"], opt)
            weights32[(k, d)] = w
            suffix = "" if cfg.get("plain") else f"_l{k}" + ("_reverse" if d == 1 else "")
            for name, v in w.items():
                named[name + suffix] = v
    shape = (cfg["B"], cfg["T"], cfg["I"]) if cfg["bf"] else (cfg["T"], cfg["B"], cfg["I"])
    x32 = rng.standard_normal(shape).astype(np.float32)
    init32 = {}
    for name in state_names:
        full = (cfg["layers"] * D, cfg["B"], cfg["H"])
        init32[name] = (0.5 * rng.standard_normal(full)).astype(np.float32) if cfg["init"] else None
    return dict(cell=cell, cfg=cfg, opt=opt, weights32=weights32, named=named, x32=x32,
                init32=init32)


def forward(case, misread=False):
    cfg, opt = case["cfg"], dict(case["opt"], misread=misread)
    step, state_names, _ = CELLS[case["cell"]]
    D = 2 if cfg["bidir"] else 1
    weights = {kd: {n: v.astype(np.float64) for n, v in w.items()}
               for kd, w in case["weights32"].items()}
    zeros = np.zeros((cfg["layers"] * D, cfg["B"], cfg["H"]))
    init = {n: zeros if v is None else v.astype(np.float64) for n, v in case["init32"].items()}
    x = case["x32"].astype(np.float64)
    return run_stack(step, weights, x, init, cfg["layers"], cfg["bidir"], cfg["bf"], opt)


# ---------------------------------------------------------------------------------------------
# Writing the files.
# ---------------------------------------------------------------------------------------------


def write_case(name, case, output, finals, reference=REFERENCE, description=None):
    """Writes the case's folder afresh, in the format of test/fixtures/README.md."""
    cfg, opt = case["cfg"], case["opt"]
    folder = os.path.join(OUT_DIR, name)
    if os.path.isdir(folder):
        for f in os.listdir(folder):
            os.remove(os.path.join(folder, f))
    arrays = {"input.npy": case["x32"], "output.npy": output}
    states, expected = {}, {"output": "output.npy"}
    for s, v in case["init32"].items():
        if v is not None:
            states[s] = arrays[f"{s}0.npy"] = v
    for s, v in finals.items():
        expected[s] = f"{s}_n.npy"
        arrays[expected[s]] = v
    module = {
        "type": case["cell"],
        "input_size": cfg["I"],
        "hidden_size": cfg["H"],
        "num_layers": cfg["layers"],
        "bias": opt.get("bias", True),
        "batch_first": cfg["bf"],
        "bidirectional": cfg["bidir"],
    }
    if cfg.get("plain"):
        module["unsuffixed_names"] = True
    spec = {
        "description": description or describe(case["cell"], cfg, opt),
        "cell": case["cell"],
        "reference": reference,
        "module": module,
        "activations": opt.get("activations", {}),
        "input": "input.npy",
        "weights": "weights.safetensors",
        "states": {s: f"{s}0.npy" for s in states},
        "expected": expected,
        "tolerance": TOLERANCE,
    }
    write_files(OUT_DIR, name, spec, case["named"], arrays)


# ---------------------------------------------------------------------------------------------
# Checks before writing: the stack against PyTorch, and each fixture against its misreading.
# ---------------------------------------------------------------------------------------------


def torch_state_dict_weights(module, layers, D):
    sd = {k: v.detach().numpy().astype(np.float64) for k, v in module.state_dict().items()}
    weights = {}
    for k in range(layers):
        for d in range(D):
            suffix = f"_l{k}" + ("_reverse" if d else "")
            names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            weights[(k, d)] = {n: sd[n + suffix] for n in names}
    return weights


def check_against_torch():
    """The stack driver against nn.LSTM and nn.GRU, and two cells PyTorch can compute another
    way, all in float64: they must agree to 1e-12."""
    import torch

    torch.manual_seed(0)
    rng = np.random.default_rng(7)
    worst = 0.0
    for kind, step, names in (("LSTM", lstm_step, ("h", "c")), ("GRU", gru_step, ("h",))):
        for bf in (False, True):
            m = getattr(torch.nn, kind)(4, 5, num_layers=2, bidirectional=True, batch_first=bf)
            m = m.double()
            x = rng.standard_normal((3, 6, 4) if bf else (6, 3, 4))
            init = {n: rng.standard_normal((4, 3, 5)) for n in names}
            tx = torch.from_numpy(x)
            th = tuple(torch.from_numpy(init[n]) for n in names)
            with torch.no_grad():
                want, finals = m(tx, th if kind == "LSTM" else th[0])
            finals = finals if kind == "LSTM" else (finals,)
            weights = torch_state_dict_weights(m, 2, 2)
            got, got_finals = run_stack(step, weights, x, init, 2, True, bf, {})
            worst = max(worst, np.abs(got - want.numpy()).max())
            for n, f in zip(names, finals):
                worst = max(worst, np.abs(got_finals[n] - f.numpy()).max())
    # IndRNN = nn.RNN(relu) with weight_hh = diag(u); peephole LSTM with zero peepholes = nn.LSTM.
    m = torch.nn.RNN(4, 5, num_layers=2, nonlinearity="relu", bidirectional=True).double()
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.startswith("weight_hh"):
                p.copy_(torch.diag(torch.rand(5, dtype=torch.float64) * 2 - 1))
    x, h0 = rng.standard_normal((6, 3, 4)), rng.standard_normal((4, 3, 5))
    with torch.no_grad():
        want, hn = m(torch.from_numpy(x), torch.from_numpy(h0))
    w = torch_state_dict_weights(m, 2, 2)
    for kd in w:
        w[kd]["weight_hh"] = np.diag(w[kd]["weight_hh"]).copy()
    got, fin = run_stack(indrnn_step, w, x, {"h": h0}, 2, True, False, {})
    worst = max(worst, np.abs(got - want.numpy()).max(), np.abs(fin["h"] - hn.numpy()).max())
    m = torch.nn.LSTM(4, 5, num_layers=2, bidirectional=True).double()
    x = rng.standard_normal((6, 3, 4))
    with torch.no_grad():
        want, _ = m(torch.from_numpy(x))
    w = torch_state_dict_weights(m, 2, 2)
    for kd in w:
        w[kd].update({n: np.zeros(5) for n in ("peep_i", "peep_f", "peep_o")})
    zeros = {n: np.zeros((4, 3, 5)) for n in ("h", "c")}
    got, _ = run_stack(peephole_lstm_step, w, x, zeros, 2, True, False, {})
    worst = max(worst, np.abs(got - want.numpy()).max())
    assert worst < 1e-12, f"the numpy stack differs from PyTorch by {worst}"
    return worst


def misreading_gap(case, output, finals):
    """How far the case's misreading lands from the expected values, in tolerances."""
    wrong, wrong_finals = forward(case, misread=True)
    gap = 0.0
    for got, want in [(wrong, output)] + [(wrong_finals[n], finals[n]) for n in finals]:
        allowed = TOLERANCE["atol"] + TOLERANCE["rtol"] * np.abs(want)
        gap = max(gap, (np.abs(got - want) / allowed).max())
    return gap


def indrnn_torch_case():
    """IndRNN through PyTorch itself: nn.RNN(relu), float32, with weight_hh = diag(u)."""
    import torch

    torch.manual_seed(11)
    m = torch.nn.RNN(6, 8, num_layers=2, nonlinearity="relu", bidirectional=True, batch_first=True)
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.startswith("weight_hh"):
                p.copy_(torch.diag(torch.rand(8) * 2 - 1))
    x = torch.randn(3, 5, 6)
    h0 = 0.5 * torch.randn(4, 3, 8)
    with torch.no_grad():
        out, hn = m(x, h0)
    named = {k: v.detach().numpy().copy() for k, v in m.state_dict().items()}
    for k in named:
        if k.startswith("weight_hh"):
            named[k] = np.diag(named[k]).copy()
    cfg = dict(layers=2, bidir=True, bf=True, T=5, B=3, I=6, H=8, init=True)
    case = dict(cell="indrnn", cfg=cfg, opt={}, named=named, x32=x.numpy(),
                init32={"h": h0.numpy()})
    return case, out.numpy(), {"h": hn.numpy()}


def main():
    if not os.path.isdir(OUT_DIR):
        sys.exit(f"run from the repository root ({OUT_DIR} not found)")
    print(f"stack and cells against PyTorch (float64): max difference {check_against_torch():.1e}")
    for cell in CELLS:
        for index, cfg in enumerate(CONFIGS):
            name = f"{cell}_{cfg['suffix']}"
            case = make_case(cell, index, cfg)
            output, finals = forward(case)
            gap = misreading_gap(case, output, finals)
            assert gap > 100, f"{name}: the misreading is only {gap:.1f} tolerances away"
            write_case(name, case, output, finals)
            shape = list(output.shape)
            print(f"{name:28s} output {shape}; misreading off by {gap:8.0f} tolerances")
    case, output, finals = indrnn_torch_case()
    description = ("nn.RNN(6, 8, 2 layers, relu, bidirectional, batch_first) with "
                   "weight_hh = diag(u), given h0 (Li et al. 2018)")
    reference = "torch 1.13.0a0 float32 (nn.RNN, weight_hh = diag(u))"
    write_case("indrnn_torch", case, output, finals, reference, description)
    print("indrnn_torch                 written from PyTorch")


if __name__ == "__main__":
    main()
