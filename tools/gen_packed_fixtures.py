#!/usr/bin/env python3
"""Writes the sequence-length reference cases of test/fixtures (*_packed*), from PyTorch itself.

Each case runs a real nn.LSTM / nn.GRU / nn.RNN over a padded batch packed with
torch.nn.utils.rnn.pack_padded_sequence(..., enforce_sorted=False) and unpacks the result with
pad_packed_sequence(..., total_length=T): the expected output is PyTorch's zero-padded output, and
h_n / c_n are each sample's states after its own last step (PyTorch restores the batch order).
The padding of the input holds random values, not zeros, so a kernel that reads it is caught.

Files per case (the format of test/fixtures/README.md plus the "lengths" field described in
test/fixtures/EXTENSIONS.md): case.json, weights.safetensors (written by hand below: an 8-byte
little-endian header length, the JSON header, the raw float32 data), input.npy, lengths.npy
(int64 as torch gives them; one case int32), optional h0.npy / c0.npy, output.npy, h_n.npy and
c_n.npy.

Run from the repository root with the system Python (PyTorch 1.13 and numpy):

    /usr/bin/python3 tools/gen_packed_fixtures.py

Every case is seeded, so a rerun on the same PyTorch writes the same bytes. Tests and CI read the
committed files only; they never need Python.
"""

import json
import os
import struct

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
TOLERANCE = {"atol": 1e-05, "rtol": 0.0001}

CASES = [
    {
        "name": "lstm_packed_bidir",
        "type": "LSTM",
        "cell": "lstm",
        "seed": 101,
        "args": dict(input_size=5, hidden_size=6, num_layers=2, bidirectional=True),
        "lengths": [7, 4, 1, 5],
        "T": 7,
        "initial": True,
    },
    {
        "name": "lstm_packed_batch_first",
        "type": "LSTM",
        "cell": "lstm",
        "seed": 102,
        "args": dict(input_size=4, hidden_size=5, num_layers=2, batch_first=True),
        "lengths": [3, 6, 6, 2, 5],
        "T": 6,
        "initial": False,
        "dtype": np.int32,
    },
    {
        "name": "lstmp_packed",
        "type": "LSTM",
        "cell": "lstmp",
        "seed": 103,
        "args": dict(
            input_size=6, hidden_size=8, num_layers=2, bidirectional=True, batch_first=True,
            proj_size=3,
        ),
        "lengths": [2, 5, 8, 1, 8, 4],
        "T": 8,
        "initial": True,
    },
    {
        "name": "gru_packed_bidir",
        "type": "GRU",
        "cell": "gru",
        "seed": 104,
        "args": dict(input_size=5, hidden_size=7, num_layers=2, bidirectional=True),
        "lengths": [6, 1, 3],
        "T": 6,
        "initial": True,
    },
    {
        # No sample has all T steps: total_length pads past the longest one.
        "name": "gru_packed_batch_first",
        "type": "GRU",
        "cell": "gru",
        "seed": 105,
        "args": dict(input_size=3, hidden_size=4, batch_first=True),
        "lengths": [4, 2, 5, 1],
        "T": 7,
        "initial": False,
    },
    {
        "name": "rnn_packed_bidir",
        "type": "RNN",
        "cell": "rnn",
        "seed": 106,
        "args": dict(input_size=4, hidden_size=5, bidirectional=True),
        "lengths": [5, 2, 3],
        "T": 5,
        "initial": True,
    },
]


def write_safetensors(path, tensors, metadata):
    """safetensors by hand: u64 LE header length, JSON header (sorted, padded to 8), raw data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().contiguous().numpy().astype("<f4").tobytes()
        shape = list(tensors[name].shape)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def describe(case):
    args = dict(case["args"])
    sizes = f"{args.pop('input_size')}, {args.pop('hidden_size')}"
    rest = "".join(f", {k}={v}" for k, v in args.items())
    initial = "given h0/c0" if case["initial"] else "zero initial states"
    if case["type"] == "GRU" or case["type"] == "RNN":
        initial = "given h0" if case["initial"] else "zero initial state"
    return (
        f"nn.{case['type']}({sizes}{rest}) over pack_padded_sequence(lengths={case['lengths']}, "
        f"enforce_sorted=False), T={case['T']}, {initial}"
    )


def generate(case):
    torch.manual_seed(case["seed"])
    module = getattr(torch.nn, case["type"])(**case["args"]).float()
    args = case["args"]
    batch_first = args.get("batch_first", False)
    D = 2 if args.get("bidirectional", False) else 1
    L = args.get("num_layers", 1)
    H = args["hidden_size"]
    H_out = args.get("proj_size", 0) or H
    lengths = torch.tensor(case["lengths"], dtype=torch.int64)
    T, B = case["T"], len(case["lengths"])
    x = torch.randn(B, T, args["input_size"]) if batch_first else torch.randn(T, B, args["input_size"])

    states = {}
    if case["initial"]:
        states["h"] = torch.randn(L * D, B, H_out)
        if case["type"] == "LSTM":
            states["c"] = torch.randn(L * D, B, H)
    hidden = None
    if states:
        hidden = (states["h"], states["c"]) if case["type"] == "LSTM" else states["h"]

    packed = pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=False)
    with torch.no_grad():
        out_packed, final = module(packed, hidden)
    output, out_lengths = pad_packed_sequence(out_packed, batch_first=batch_first, total_length=T)
    assert out_lengths.tolist() == case["lengths"]
    finals = {"h": final[0], "c": final[1]} if case["type"] == "LSTM" else {"h": final}

    folder = os.path.join(OUT, case["name"])
    os.makedirs(folder, exist_ok=True)
    save = lambda name, t: np.save(os.path.join(folder, name), t.detach().numpy().astype("<f4"))
    write_safetensors(
        os.path.join(folder, "weights.safetensors"),
        module.state_dict(),
        {"format": "pt", "case": case["name"]},
    )
    save("input.npy", x)
    np.save(os.path.join(folder, "lengths.npy"), lengths.numpy().astype(case.get("dtype", np.int64)))
    for name, t in states.items():
        save(f"{name}0.npy", t)
    save("output.npy", output)
    for name, t in finals.items():
        save(f"{name}_n.npy", t)

    module_json = {
        "type": case["type"],
        "input_size": args["input_size"],
        "hidden_size": H,
        "num_layers": L,
        "bias": True,
        "batch_first": batch_first,
        "bidirectional": D == 2,
    }
    if case["type"] == "LSTM":
        module_json["proj_size"] = args.get("proj_size", 0)
    if case["type"] == "RNN":
        module_json["nonlinearity"] = "tanh"
    spec = {
        "description": describe(case),
        "cell": case["cell"],
        "reference": f"torch {torch.__version__} float32",
        "module": module_json,
        "activations": {},
        "input": "input.npy",
        "weights": "weights.safetensors",
        "states": {name: f"{name}0.npy" for name in states},
        "lengths": "lengths.npy",
        "expected": {"output": "output.npy", **{name: f"{name}_n.npy" for name in finals}},
        "tolerance": TOLERANCE,
    }
    with open(os.path.join(folder, "case.json"), "w") as f:
        f.write(json.dumps(spec, indent=2) + "\n")
    print(f"wrote {case['name']}: {spec['description']}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    for case in CASES:
        generate(case)
