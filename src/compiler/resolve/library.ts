// The built-in function library, written in the cell language: ONNX's activations plus `linear`,
// `step`, `gelu` and `gelu_tanh` (ONNX's names and defaults), and `layer_norm`, which works on a
// whole vector. A cell's own `fn` may shadow any of them.

export const LIBRARY_NAME = "<library>";

export const LIBRARY_SOURCE = `# Activations every cell can use by name, in a slot binding or a call.
fn linear(x) = x
fn step(x) = x >= 0 ? 1 : 0
fn relu(x) = max(x, 0)
fn clip(x, lo, hi) = min(max(x, lo), hi)
fn hard_sigmoid(x, alpha = 0.2, beta = 0.5) = clip(alpha * x + beta, 0, 1)
fn hard_tanh(x) = clip(x, -1, 1)
fn softsign(x) = x / (1 + abs(x))
# log(1 + exp(x)) without overflow for large x
fn softplus(x) = max(x, 0) + log1p(exp(-abs(x)))
fn leaky_relu(x, alpha = 0.01) = x >= 0 ? x : alpha * x
fn elu(x, alpha = 1) = x >= 0 ? x : alpha * expm1(x)
fn scaled_tanh(x, alpha = 1, beta = 1) = alpha * tanh(beta * x)
fn affine(x, alpha = 1, beta = 0) = alpha * x + beta
fn thresholded_relu(x, alpha = 1) = x > alpha ? x : 0
# GELU (Hendrycks & Gimpel 2016) as torch.nn.GELU: x * Phi(x) with the normal CDF through erf;
# gelu_tanh is approximate='tanh', with sqrt(2/pi) = 0.7978845608028654
fn gelu(x) = 0.5 * x * (1 + erf(x * 0.7071067811865476))
fn gelu_tanh(x) = 0.5 * x * (1 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
# Functions over a whole vector.
# Layer normalization (Ba et al. 2016), as torch.nn.LayerNorm: biased variance, eps inside the root
fn layer_norm(v, gamma, beta, eps = 1e-5) = d / sqrt(mean(d * d) + eps) * gamma + beta
  where d = v - mean(v)
`;
