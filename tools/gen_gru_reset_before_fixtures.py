#!/usr/bin/env python3
"""Reference cases for cells/gru_reset_before.cell, in the fixtures format (test/fixtures/README.md).

The reference is written from the ONNX GRU operator's specification with linear_before_reset = 0
(https://onnx.ai/onnx/operators/onnx__GRU.html), which is also Keras' GRU(reset_after=False) and
the GRU of Cho et al. 2014, not from the .cell file. With f = sigmoid, g = tanh, and ONNX's names
(W: input weights, R: recurrent weights, Wb/Rb: their biases; gate blocks stacked z, r, h):

    zt = f(Xt W_z^T + Ht-1 R_z^T + Wb_z + Rb_z)
    rt = f(Xt W_r^T + Ht-1 R_r^T + Wb_r + Rb_r)
    ht = g(Xt W_h^T + (rt (.) Ht-1) R_h^T + Rb_h + Wb_h)      # linear_before_reset = 0
    Ht = (1 - zt) (.) ht + zt (.) Ht-1

computed in float64 from float32 weights and inputs. The weights are drawn in ONNX's layout and
order (z, r, h) and stored under PyTorch's state_dict names and order (r, z, n), as cellc's GRU
cells take them. Stacks follow ONNX/PyTorch: the reverse direction runs from the last step to the
first, layer k > 0 reads both directions' outputs concatenated, states are (layers * D, B, H).

Before writing anything the script checks its own stack and weight-order handling against
torch.nn.GRU (which resets after the product) where the two GRUs agree: with b_hn = 0 and a
reset gate that is the same for every unit (W_ir = W_hr = 0, b_ir + b_hr constant), r * (W h) =
W (r * h). Run with /usr/bin/python3 (numpy and PyTorch 1.13); the output is deterministic.
"""
import json
import os
import struct
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "test", "fixtures")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def hard_sigmoid(x, alpha=0.2, beta=0.5):
    # ONNX HardSigmoid: max(0, min(1, alpha * x + beta))
    return np.clip(alpha * x + beta, 0.0, 1.0)


def onnx_gru_direction(X, W, R, Wb, Rb, H0, f=sigmoid, g=np.tanh):
    """One direction of ONNX's GRU, linear_before_reset = 0, on X of shape (T, B, I).

    W: (3H, I), R: (3H, H), Wb, Rb: (3H,), gate blocks in ONNX order z, r, h. Returns Y (T, B, H)
    and the last H (B, H).
    """
    W_z, W_r, W_h = np.split(W, 3)
    R_z, R_r, R_h = np.split(R, 3)
    Wb_z, Wb_r, Wb_h = np.split(Wb, 3)
    Rb_z, Rb_r, Rb_h = np.split(Rb, 3)
    Ht = H0
    Y = []
    for Xt in X:
        zt = f(Xt @ W_z.T + Ht @ R_z.T + Wb_z + Rb_z)
        rt = f(Xt @ W_r.T + Ht @ R_r.T + Wb_r + Rb_r)
        ht = g(Xt @ W_h.T + (rt * Ht) @ R_h.T + Rb_h + Wb_h)
        Ht = (1 - zt) * ht + zt * Ht
        Y.append(Ht)
    return np.stack(Y), Ht


def onnx_gru_stack(X, layers, H0, f=sigmoid):
    """A stack of ONNX GRU layers on X (T, B, I); layers[k] is a list of per-direction weights."""
    inputs = X
    finals = []
    for k, directions in enumerate(layers):
        outs = []
        for d, (W, R, Wb, Rb) in enumerate(directions):
            h0 = H0[k * len(directions) + d]
            xs = inputs if d == 0 else inputs[::-1]
            Y, h_last = onnx_gru_direction(xs, W, R, Wb, Rb, h0, f=f)
            outs.append(Y if d == 0 else Y[::-1])
            finals.append(h_last)
        inputs = np.concatenate(outs, axis=-1)
    return inputs, np.stack(finals)


def zrh_to_rzn(m):
    """ONNX stacks gate blocks z, r, h; PyTorch stacks them r, z, n."""
    z, r, h = np.split(m, 3)
    return np.concatenate([r, z, h])


def draw_layers(rng, I, H, num_layers, D, bias, uniform_reset=False):
    """Float32 weights in ONNX order, as float64 arrays holding float32 values."""
    layers = []
    scale = 1.0 / np.sqrt(H)
    for k in range(num_layers):
        inputs = I if k == 0 else D * H
        directions = []
        for _ in range(D):
            W = rng.uniform(-scale, scale, (3 * H, inputs)).astype(np.float32)
            R = rng.uniform(-scale, scale, (3 * H, H)).astype(np.float32)
            Wb = rng.uniform(-scale, scale, 3 * H).astype(np.float32)
            Rb = rng.uniform(-scale, scale, 3 * H).astype(np.float32)
            if not bias:
                Wb[:] = 0
                Rb[:] = 0
            if uniform_reset:
                # r = sigmoid(0.3) in every unit, and no recurrent candidate bias: where
                # reset-before and reset-after agree.
                W[H : 2 * H] = 0
                R[H : 2 * H] = 0
                Wb[H : 2 * H] = 0.1
                Rb[H : 2 * H] = 0.2
                Rb[2 * H :] = 0
            directions.append(tuple(a.astype(np.float64) for a in (W, R, Wb, Rb)))
        layers.append(directions)
    return layers


def state_dict(layers, bias, suffixes=True):
    """PyTorch names and gate order: weight_ih_l{k}[_reverse], ... rows r, z, n."""
    out = {}
    for k, directions in enumerate(layers):
        for d, (W, R, Wb, Rb) in enumerate(directions):
            tail = f"_l{k}" + ("_reverse" if d == 1 else "") if suffixes else ""
            out[f"weight_ih{tail}"] = zrh_to_rzn(W)
            out[f"weight_hh{tail}"] = zrh_to_rzn(R)
            if bias:
                out[f"bias_ih{tail}"] = zrh_to_rzn(Wb)
                out[f"bias_hh{tail}"] = zrh_to_rzn(Rb)
    return out


def write_safetensors(path, tensors):
    """safetensors by hand: u64 LE header length, JSON header, raw little-endian float32 data."""
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)))
        fh.write(text)
        for blob in blobs:
            fh.write(blob)


def save_npy(path, array):
    np.save(path, np.ascontiguousarray(array, dtype="<f4"))


def check_against_torch():
    """The stack and gate-order handling agree with torch.nn.GRU where the two GRUs coincide."""
    import torch

    rng = np.random.default_rng(7)
    I, H, L, T, B = 3, 4, 2, 5, 2
    layers = draw_layers(rng, I, H, L, 2, bias=True, uniform_reset=True)
    X = rng.standard_normal((T, B, I)).astype(np.float32).astype(np.float64)
    H0 = rng.standard_normal((L * 2, B, H)).astype(np.float32).astype(np.float64)
    Y, Hn = onnx_gru_stack(X, layers, H0)
    gru = torch.nn.GRU(I, H, num_layers=L, bidirectional=True).double()
    with torch.no_grad():
        for name, value in state_dict(layers, bias=True).items():
            getattr(gru, name).copy_(torch.from_numpy(value))
        y, hn = gru(torch.from_numpy(X), torch.from_numpy(H0))
    assert np.abs(y.numpy() - Y).max() < 1e-12, "output differs from torch.nn.GRU"
    assert np.abs(hn.numpy() - Hn).max() < 1e-12, "final state differs from torch.nn.GRU"
    # And they do differ in general (reset before vs after): the check is not vacuous.
    general = draw_layers(rng, I, H, 1, 1, bias=True)
    Yg, _ = onnx_gru_stack(X, general, np.zeros((1, B, H)))
    gru1 = torch.nn.GRU(I, H).double()
    with torch.no_grad():
        for name, value in state_dict(general, bias=True).items():
            getattr(gru1, name).copy_(torch.from_numpy(value))
        yg, _ = gru1(torch.from_numpy(X))
    assert np.abs(yg.numpy() - Yg).max() > 1e-4, "reset-before equals reset-after: no test"


CASES = [
    # name, description, I, H, layers, bidirectional, batch_first, bias, initial state, activations
    ("gru_reset_before", "GRU, linear_before_reset=0 (5, 7), given h0", 5, 7, 1, False, False, True, True, {}),
    (
        "gru_reset_before_2layer_bidir",
        "GRU, linear_before_reset=0 (4, 6), 2 layers, bidirectional, batch_first, given h0",
        4, 6, 2, True, True, True, True, {},
    ),
    (
        "gru_reset_before_nobias",
        "GRU, linear_before_reset=0 (6, 5), bias=False, batch_first, zero h0",
        6, 5, 1, False, True, False, False, {},
    ),
    (
        "gru_reset_before_hard_sigmoid",
        "GRU, linear_before_reset=0 (5, 8), 2 layers, gates HardSigmoid(0.2, 0.5), given h0",
        5, 8, 2, False, False, True, True, {"gate": "hard_sigmoid(0.2, 0.5)"},
    ),
]


def write_case(seed, name, description, I, H, L, bidir, batch_first, bias, initial, activations):
    rng = np.random.default_rng(1000 + seed)
    D = 2 if bidir else 1
    T, B = 7, 3
    layers = draw_layers(rng, I, H, L, D, bias)
    X = rng.standard_normal((T, B, I)).astype(np.float32).astype(np.float64)
    H0 = (rng.standard_normal((L * D, B, H)) * 0.5).astype(np.float32).astype(np.float64)
    if not initial:
        H0 = np.zeros((L * D, B, H))
    f = hard_sigmoid if activations else sigmoid
    Y, Hn = onnx_gru_stack(X, layers, H0, f=f)
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, "weights.safetensors"), state_dict(layers, bias))
    save_npy(os.path.join(folder, "input.npy"), X.transpose(1, 0, 2) if batch_first else X)
    save_npy(os.path.join(folder, "output.npy"), Y.transpose(1, 0, 2) if batch_first else Y)
    save_npy(os.path.join(folder, "h_n.npy"), Hn)
    if initial:
        save_npy(os.path.join(folder, "h0.npy"), H0)
    case = {
        "description": description,
        "cell": "gru_reset_before",
        "reference": f"numpy {np.__version__} float64, ONNX GRU spec (linear_before_reset=0), "
        + "tools/gen_gru_reset_before_fixtures.py",
        "module": {
            "type": "GRU",
            "input_size": I,
            "hidden_size": H,
            "num_layers": L,
            "bias": bias,
            "batch_first": batch_first,
            "bidirectional": bidir,
            "linear_before_reset": 0,
        },
        "activations": activations,
        "input": "input.npy",
        "weights": "weights.safetensors",
        "states": {"h": "h0.npy"} if initial else {},
        "expected": {"output": "output.npy", "h": "h_n.npy"},
        "tolerance": {"atol": 1e-05, "rtol": 0.0001},
    }
    with open(os.path.join(folder, "case.json"), "w") as fh:
        json.dump(case, fh, indent=2)
        fh.write("\n")
    print(f"wrote {folder}")


def main():
    check_against_torch()
    for seed, case in enumerate(CASES):
        write_case(seed, *case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
