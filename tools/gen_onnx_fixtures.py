#!/usr/bin/env python3
"""Writes the ONNX import cases of test/interop/onnx-fixtures, from PyTorch itself.

Each case builds a seeded nn.LSTM / nn.GRU / nn.RNN, exports it with torch.onnx.export (no onnx
package needed) and saves PyTorch's own outputs for an input: the test imports model.onnx with
`cellc import`, runs the cell it writes and compares with these outputs. The cases cover what the
exporter writes around the recurrent nodes: stacked layers (Transpose/Reshape or Squeeze between
them, Concat of the final states), bidirectional layers, batch_first (Transpose of the input and
output), initial states given (Slice per layer) or not (Shape/Gather/Unsqueeze/Concat/Expand
building zeros), dynamic axes (the input is then longer and wider than the export's example),
old opsets (ConstantFill, Cast, weights among the graph inputs) and no constant folding (Slice and
Concat of the weights).

Files per case: case.json (description, torch version, opset, batch_first, inputs, expected
outputs, tolerance), model.onnx, input.npy, optional h0.npy / c0.npy, output.npy, h_n.npy and
c_n.npy (float32).

Run from the repository root with the system Python (PyTorch 1.13 and numpy):

    /usr/bin/python3 tools/gen_onnx_fixtures.py

Every case is seeded; tests read the committed files only and never need Python.
"""

import json
import os
import warnings

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "interop", "onnx-fixtures")
TOLERANCE = {"atol": 1e-05, "rtol": 0.0001}

CASES = [
    dict(name="lstm_2layer_bidir", type="LSTM", seed=201, opset=14, initial=True,
         args=dict(input_size=3, hidden_size=4, num_layers=2, bidirectional=True)),
    dict(name="lstm_batch_first", type="LSTM", seed=202, opset=9, initial=False,
         args=dict(input_size=4, hidden_size=5, batch_first=True)),
    dict(name="lstm_dynamic_batch_first", type="LSTM", seed=203, opset=13, initial=False, dynamic=True,
         args=dict(input_size=3, hidden_size=4, num_layers=2, bidirectional=True, batch_first=True)),
    dict(name="lstm_no_folding", type="LSTM", seed=204, opset=13, initial=True, fold=False,
         args=dict(input_size=3, hidden_size=3, num_layers=2)),
    dict(name="gru_2layer", type="GRU", seed=205, opset=13, initial=True,
         args=dict(input_size=4, hidden_size=3, num_layers=2)),
    dict(name="gru_bidir_batch_first", type="GRU", seed=206, opset=17, initial=False,
         args=dict(input_size=3, hidden_size=4, bidirectional=True, batch_first=True)),
    dict(name="rnn_relu", type="RNN", seed=207, opset=7, initial=False,
         args=dict(input_size=3, hidden_size=4, nonlinearity="relu")),
    dict(name="rnn_relu_2layer_bidir_batch_first", type="RNN", seed=208, opset=11, initial=True,
         args=dict(input_size=3, hidden_size=4, num_layers=2, nonlinearity="relu",
                   bidirectional=True, batch_first=True)),
]

T, B = 5, 2           # the export's example
T_RUN, B_RUN = 7, 3   # the input of a dynamic-axes case


def describe(case):
    args = ", ".join(f"{k}={v!r}" for k, v in case["args"].items())
    return f"torch.onnx.export of nn.{case['type']}({args}), opset {case['opset']}"


def write_case(case):
    torch.manual_seed(case["seed"])
    module = getattr(torch.nn, case["type"])(**case["args"]).eval()
    a = case["args"]
    D = 2 if a.get("bidirectional") else 1
    L = a.get("num_layers", 1)
    H = a["hidden_size"]
    batch_first = a.get("batch_first", False)
    dynamic = case.get("dynamic", False)

    def data(t, b):
        x = torch.randn(b, t, a["input_size"]) if batch_first else torch.randn(t, b, a["input_size"])
        states = [torch.randn(L * D, b, H) for _ in range(2 if case["type"] == "LSTM" else 1)]
        return x, states

    x, states = data(T, B)
    names = ["h0", "c0"][: len(states)] if case["initial"] else []
    outputs = ["output", "h_n", "c_n"][: 2 + (case["type"] == "LSTM")]
    hx = (tuple(states) if case["type"] == "LSTM" else states[0]) if case["initial"] else None
    example = (x, hx) if hx is not None else (x,)
    axes = {}
    if dynamic:
        seq = {0: "batch", 1: "time"} if batch_first else {0: "time", 1: "batch"}
        axes = {"input": seq, "output": seq, **{n: {1: "batch"} for n in outputs[1:]}}
    folder = os.path.join(OUT, case["name"])
    os.makedirs(folder, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, example, os.path.join(folder, "model.onnx"), opset_version=case["opset"],
                          input_names=["input", *names], output_names=outputs, dynamic_axes=axes or None,
                          do_constant_folding=case.get("fold", True))
    if dynamic:
        torch.manual_seed(case["seed"] + 1000)
        x, states = data(T_RUN, B_RUN)
        hx = None
    with torch.no_grad():
        out, final = module(x, hx) if hx is not None else module(x)
    finals = list(final) if case["type"] == "LSTM" else [final]
    arrays = {"input.npy": x, "output.npy": out, "h_n.npy": finals[0]}
    if case["type"] == "LSTM":
        arrays["c_n.npy"] = finals[1]
    if case["initial"]:
        arrays["h0.npy"] = states[0]
        if case["type"] == "LSTM":
            arrays["c0.npy"] = states[1]
    for file, array in arrays.items():
        np.save(os.path.join(folder, file), array.numpy().astype(np.float32))
    expected = {"output": "output.npy", "h": "h_n.npy"}
    if case["type"] == "LSTM":
        expected["c"] = "c_n.npy"
    spec = {
        "description": describe(case),
        "reference": f"torch {torch.__version__} float32",
        "opset": case["opset"],
        "batch_first": batch_first,
        "input": "input.npy",
        "states": {s: f"{s}0.npy" for s in ["h", "c"][: len(names)]},
        "expected": expected,
        "tolerance": TOLERANCE,
    }
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    for case in CASES:
        write_case(case)
        print("wrote", case["name"])
