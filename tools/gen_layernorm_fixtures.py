"""Float64 reference cases for cells/layernorm_lstm.cell, from numpy code written from the paper
(Ba, Kiros & Hinton 2016, "Layer Normalization", section 3.1, as haste's LayerNormLSTM computes
it), not from the .cell file: per step z = LN(W_ih x) + LN(W_hh h) with rows i, f, g, o;
c' = sigmoid(f) c + sigmoid(i) tanh(g); h' = sigmoid(o) tanh(LN(c')), where
LN(v) = (v - mean v) / sqrt(var v + 1e-5) * gamma + beta with the biased variance, as
torch.nn.LayerNorm. Stacks follow nn.LSTM: layer k > 0 reads the D * H outputs of layer k - 1,
the reverse direction runs from the last step, initial states are (L * D, B, H).

Run from the repository root: /usr/bin/python3 tools/gen_layernorm_fixtures.py
"""
import numpy as np

from fixture_io import write_case

EPS = 1e-5


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def layer_norm(v, gamma, beta):
    centred = v - v.mean()
    return centred / np.sqrt((centred * centred).mean() + EPS) * gamma + beta


def step(p, x, h, c):
    z = layer_norm(p["weight_ih"] @ x, p["gamma_ih"], p["beta_ih"]) + layer_norm(
        p["weight_hh"] @ h, p["gamma_hh"], p["beta_hh"])
    i, f, g, o = np.split(z, 4)
    c_next = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h_next = sigmoid(o) * np.tanh(layer_norm(c_next, p["gamma_c"], p["beta_c"]))
    return h_next, c_next


def run_direction(p, xs, h, c, reverse):
    T = xs.shape[0]
    out = np.zeros((T, xs.shape[1], h.shape[1]))
    for s in range(T):
        t = T - 1 - s if reverse else s
        for b in range(xs.shape[1]):
            h[b], c[b] = step(p, xs[t, b], h[b], c[b])
        out[t] = h
    return out, h, c


def forward(layers, xs, h0, c0):
    """layers[k][d] -> params; xs (T, B, I); h0, c0 (L * D, B, H)."""
    D = len(layers[0])
    hn, cn = h0.copy(), c0.copy()
    for k, directions in enumerate(layers):
        outs = []
        for d, p in enumerate(directions):
            j = k * D + d
            out, hn[j], cn[j] = run_direction(p, xs, hn[j].copy(), cn[j].copy(), d == 1)
            outs.append(out)
        xs = np.concatenate(outs, axis=2)
    return xs, hn, cn


def params(rng, I, H, default_norms):
    p = {"weight_ih": rng.uniform(-0.5, 0.5, (4 * H, I)),
         "weight_hh": rng.uniform(-0.5, 0.5, (4 * H, H))}
    for name, n in [("ih", 4 * H), ("hh", 4 * H), ("c", H)]:
        p[f"gamma_{name}"] = np.ones(n) if default_norms else rng.uniform(0.5, 1.5, n)
        p[f"beta_{name}"] = np.zeros(n) if default_norms else rng.uniform(-0.3, 0.3, n)
    return {k: v.astype(np.float32).astype(np.float64) for k, v in p.items()}


def make_case(name, seed, T, B, I, H, layers=1, bidirectional=False, batch_first=False,
              initial=False, default_norms=False):
    rng = np.random.default_rng(seed)
    D = 2 if bidirectional else 1
    stack = []
    for k in range(layers):
        size = I if k == 0 else D * H
        stack.append([params(rng, size, H, default_norms) for _ in range(D)])
    xs = rng.uniform(-1, 1, (T, B, I)).astype(np.float32).astype(np.float64)
    zeros = np.zeros((layers * D, B, H))
    h0 = rng.uniform(-0.5, 0.5, zeros.shape).astype(np.float32).astype(np.float64) if initial else zeros
    c0 = rng.uniform(-0.5, 0.5, zeros.shape).astype(np.float32).astype(np.float64) if initial else zeros
    out, hn, cn = forward(stack, xs, h0, c0)
    weights = {}
    for k, directions in enumerate(stack):
        for d, p in enumerate(directions):
            suffix = f"_l{k}" + ("_reverse" if d == 1 else "")
            for pname, value in p.items():
                # Gains of 1 and biases of 0 are the cell's defaults: leave some out, to test them.
                if default_norms and pname.startswith(("gamma", "beta")):
                    continue
                weights[pname + suffix] = value
    arrays = {"input.npy": xs.transpose(1, 0, 2) if batch_first else xs,
              "output.npy": out.transpose(1, 0, 2) if batch_first else out,
              "h_n.npy": hn, "c_n.npy": cn}
    states = {}
    if initial:
        arrays["h0.npy"], arrays["c0.npy"] = h0, c0
        states = {"h": "h0.npy", "c": "c0.npy"}
    case = {
        "description": f"layer-normalized LSTM({I}, {H}), {layers} layer(s)"
                       + (", bidirectional" if bidirectional else "")
                       + (", batch_first" if batch_first else "")
                       + (", given h0/c0" if initial else "")
                       + (", default gains and biases" if default_norms else ""),
        "cell": "layernorm_lstm",
        "reference": "numpy float64 (tools/gen_layernorm_fixtures.py)",
        "module": {"type": "LayerNormLSTM", "input_size": I, "hidden_size": H,
                   "num_layers": layers, "bias": False, "batch_first": batch_first,
                   "bidirectional": bidirectional, "proj_size": 0},
        "activations": {},
        "input": "input.npy",
        "weights": "weights.safetensors",
        "states": states,
        "expected": {"output": "output.npy", "h": "h_n.npy", "c": "c_n.npy"},
        # float32 kernels against float64: as the float64 cases of the upstream fixtures
        "tolerance": {"atol": 1e-05, "rtol": 0.0001},
    }
    write_case("test/fixtures", name, case, weights, arrays)


make_case("layernorm_lstm_seed011", 11, T=7, B=3, I=5, H=6)
make_case("layernorm_lstm_defaults", 12, T=5, B=2, I=4, H=8, default_norms=True)
make_case("layernorm_lstm_2layer_bidir", 13, T=6, B=3, I=5, H=4, layers=2, bidirectional=True,
          initial=True)
make_case("layernorm_lstm_batch_first", 14, T=8, B=4, I=3, H=5, batch_first=True, initial=True)
