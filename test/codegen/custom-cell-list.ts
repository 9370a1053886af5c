// The hand-written cells of the kernel suite (custom-cells.test.ts), shared with the suites that
// run them elsewhere (the ONNX export): each reaches code paths the shipped cells do not, and says
// what it covers and how it may be run (stacked, bidirectional, with exact zeros in the input).
import { expect } from "vitest";
import type { Stage } from "../../src/compiler/ir/ir.js";
import type { StackResult } from "../../src/embedded/stack-types.js";
import { PHASED_LSTM } from "../passes/custom-cells.js";

export interface CustomCell {
  readonly name: string;
  /** What the cell exercises. */
  readonly covers: string;
  readonly text: string;
  /** Whether layers can be stacked: the input is a plain size that layer k > 0 sets to D * output. */
  readonly stackable: boolean;
  /** Whether the reverse direction is allowed (a cell without weights has no _reverse names). */
  readonly bidirectional?: boolean;
  /** Initial states always given (when zero states would make the test trivial). */
  readonly alwaysInitial?: boolean;
  /** Inputs with exact zeros, for comparisons on the raw input (exact in both precisions). */
  readonly zeros?: boolean;
  /** Where the full pipeline must put named values (by their source name), to be sure the cell
   * exercises the load-time and before-the-loop code it is meant to. */
  readonly stages?: Readonly<Record<string, Stage>>;
  /** What the oracle's results (over all seeds) must show for the cell to test what it claims. */
  readonly premise?: (wants: readonly StackResult<Float64Array>[]) => void;
}

export const CELLS: readonly CustomCell[] = [
  {
    name: "layer_norm_rnn",
    stages: { z: "step", xs: "sequence" },
    covers:
      "layer norm in the time loop (mean, variance, a reduction fused into the loop making its operand), dot, sizes as numbers, a reduction of the input before the loop",
    stackable: true,
    text: `
cell layer_norm_rnn
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param gamma : [H] = 1
param beta : [H] = 0
let z = W @ x + U @ h
let d = z - mean(z)
let n = d / sqrt(mean(d * d) + 0.00001) * gamma + beta
let xs = sum(x) / I
h' = tanh(n) + 0.01 * xs + dot(h, h) / H * 0.01
output h'
`,
  },
  {
    name: "reductions_everywhere",
    stages: { wsum: "weight", wmean: "weight", xm: "sequence", xc: "sequence", hm: "step" },
    covers:
      "sums at load time (of weights), before the loop (of the input), in the loop (of states and slices); a per-row number read by several loops, used as a state update's factor, reduced again",
    stackable: true,
    text: `
cell reductions_everywhere
size I, H
input x : [I]
state h : [2*H]
state c : [H]
param W : [2*H, I]
param v : [H]
let wsum = sum(v)
let wmean = mean(v * v) + 1
let xm = mean(x)
let xc = (x - xm) / (1 + abs(xm))
let z = tanh(W @ xc + h) / wmean
let lo, hi = split(z, 2)
let hm = sum(lo) / (1 + sum(hi * hi))
h' = z * (1 + 0.1 * hm) + 0.01 * wsum
c' = 0.5 * c + 0.5 * tanh(hi - mean(hi)) * (1 + 0.1 * hm)
output concat(h', c' * dot(c, c) / H)
`,
  },
  {
    name: "where_values",
    stages: { scale: "weight" },
    covers:
      "functions naming values after where (in any order, a split among them), called twice with different arguments and once on weights only; a slot bound to such a function",
    stackable: true,
    text: `
cell where_values
size I, H
input x : [I]
state h : [H]
param W : [2*H, I]
param U : [2*H, H]
param g : [H] = 1
fn norm(v, eps = 1/1000) = d / sqrt(var + eps) where var = mean(d * d), d = v - mean(v)
fn glu(v) = a * sigmoid(b) where a, b = split(v, 2)
fn squash(v) = s / (1 + abs(s)) where s = 2 * v
slot act = squash
let scale = norm(g) + 1
h' = act(glu(W @ x) + norm(glu(U @ h)) * scale)
output h'
`,
  },
  {
    name: "concat_lstm",
    covers: "concat of a state and the input inside the time loop, one matrix on [h; x]",
    stackable: true,
    text: `
cell concat_lstm
size I, H
input x : [I]
state h : [H]
state c : [H]
param W : [4*H, H + I]
param b : [4*H] = 0
let i, f, g, o = split(W @ concat(h, x) + b, 4)
c' = sigmoid(f) * c + sigmoid(i) * tanh(g)
h' = sigmoid(o) * tanh(c')
output h'
`,
  },
  {
    name: "concat_everywhere",
    covers: "concat at load time (params), before the loop (input only) and in the loop (states)",
    stackable: true,
    text: `
cell concat_everywhere
size I, H
input x : [I]
state h : [H]
state c : [H]
param V : [2*H, 2*I]
param U : [2*H, 2*H]
param b1 : [H] = 0.5
param b2 : [H] = -0.25
let xx = V @ concat(x, x) + concat(b1, b2)
let z = tanh(xx + U @ concat(c, h))
let zh, zc = split(z, 2)
h' = zh
c' = 0.5 * zc + 0.5 * c
output concat(h', c')
`,
  },
  {
    name: "conditionals",
    covers: "select, ?:, all six comparisons as masks, continuous in the data so stacking is safe",
    stackable: true,
    text: `
cell conditionals
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
let z = W @ x + U @ h
let mask = z > 0
let a = z > 0 ? z : 0.1 * z
let b = select(z <= 0, 0.3 * z, z)
let c = (z >= 0) * z + (z < 0) * (0.2 * z)
let d = select(z != 0, z, 0) + (z == 0) * 0
let e = h > 0.25 ? (h < 0.75 ? h : 0.75) : select(h >= -0.5, 0.25, h + 0.75)
h' = tanh(mask * z + a - b + 0.5 * c - 0.25 * d + e)
output h'
`,
  },
  {
    name: "exact_comparisons",
    covers: "discontinuous comparisons on the raw input and on params (exact in float32 and 64)",
    stackable: false,
    zeros: true,
    text: `
cell exact_comparisons
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param thr : [I]
let code = select(x == 0, 1, x > 0 ? 2 : -3) + (x != 0) * 0.5 - (x >= thr) + (x <= thr) * 0.25
let jump = (x < 0) - (x > 0)
let Wpos = select(W > 0, W, 0.5 * W)
h' = tanh(Wpos @ (code + jump) + U @ h)
output h'
`,
  },
  {
    name: "scalars",
    stages: { s: "weight", t: "step" },
    covers:
      "scalar params (required, and optional with a fill), a vector fill other than 0, a scalar condition",
    stackable: true,
    text: `
cell scalars
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param alpha : []
param beta : [] = -0.5
param gain : [H] = 1
param flag : [] = 0
let s = alpha * beta + 1
let t = select(flag, h, 0.5 * h)
h' = gain * tanh(alpha * (W @ x) + beta * (U @ t) + s)
output h'
`,
  },
  {
    name: "hoisted",
    stages: {
      W2: "weight",
      bias: "weight",
      Us: "weight",
      Wc: "weight",
      wv: "weight",
    },
    covers:
      "weight-only lets computed at load time: a scaled matrix, a folded bias, W @ bias, a load-time matrix times a vector, an element-wise matrix, a split of a load-time concat, a load-time select",
    stackable: true,
    text: `
cell hoisted
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param bias_ih : [H] = 0
param bias_hh : [H] = 0
param a : [H]
param v : [I]
let W2 = 2 * W
let wv = W2 @ v
let bias = bias_ih + bias_hh
let wb = U @ bias
let Us = U / (1 + abs(U))
let p1, p2 = split(concat(a, bias), 2)
let Wc = select(W2 > 0.5, W2, 0.25 * W)
h' = tanh(W2 @ x + Wc @ x + bias + wb + Us @ h + p1 * p2 - p2 + 0.1 * wv)
output h'
`,
  },
  {
    name: "user_functions",
    covers:
      "fn with defaults, named and out-of-order arguments, a negative default, a slot " +
      "bound to a user fn, a user fn shadowing the library",
    stackable: true,
    text: `
cell user_functions
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
fn swish(v, beta = 1) = v * sigmoid(beta * v)
fn mix(a, b, w = 0.5, shift = -1) = w * a + (1 - w) * b - shift
fn hard_sigmoid(v) = clip(0.2 * v + 0.5, 0, 1)
slot act = swish(1.702)
slot gate = hard_sigmoid
let z = mix(b = U @ h, a = W @ x, shift = 0.25)
let y = mix(W @ x, U @ h)
h' = tanh(act(z) * gate(y) + swish(z) - swish(v = y, beta = 0.5))
output h'
`,
  },
  {
    name: "input_driven_state",
    stages: { kq: "sequence", "m'": "sequence", "h'": "step" },
    covers:
      "states whose next values ignore the states (computed before the time loop), one of them a slice of an input-only vector",
    stackable: true,
    text: `
cell input_driven_state
size I, H
input x : [I]
state h : [H]
state k : [H]
state m : [H]
param W : [H, I]
param V : [2*H, I]
param U : [H, H]
let kp, kq = split(tanh(V @ x), 2)
k' = kq
m' = tanh(W @ x) * 0.5
h' = tanh(W @ x + U @ h) * k + kp * m
output h' + k'
`,
  },
  {
    name: "input_driven_output",
    covers: "an output that is an input-only state update (before the time loop)",
    stackable: true,
    text: `
cell input_driven_output
size I, H
input x : [I]
state h : [H]
state k : [H]
param W : [H, I]
param U : [H, H]
h' = tanh(W @ x + U @ h + k)
k' = sigmoid(W @ x)
output k'
`,
  },
  {
    name: "swapped_states",
    covers:
      "next values that are states themselves (a' = b, b' = a, e' = e) and a next value that is another state's next value",
    stackable: true,
    alwaysInitial: true,
    text: `
cell swapped_states
size I, H
input x : [I]
state a : [H]
state b : [H]
state c : [H]
state d : [H]
state e : [H]
param W : [H, I]
param U : [H, H]
a' = b
b' = a
c' = tanh(W @ x + U @ c + a)
d' = c'
e' = e
output c' * b + d - e
`,
  },
  {
    name: "output_not_state",
    covers: "an output that is an expression of its own (o * tanh(c')) while h' is not",
    stackable: true,
    text: `
cell output_not_state
size I, H
input x : [I]
state h : [H]
state c : [H]
param weight_ih : [4*H, I]
param weight_hh : [4*H, H]
let zi, zf, zg, zo = split(weight_ih @ x + weight_hh @ h, 4)
let o = sigmoid(zo)
c' = sigmoid(zf) * c + sigmoid(zi) * tanh(zg)
h' = o * c'
output o * tanh(c')
`,
  },
  {
    name: "input_only_output",
    stages: { v: "sequence", "h'": "step" },
    covers:
      "an output that depends on the input alone (before the time loop), with a GEMM on a computed input-only vector, and a state beside it",
    stackable: true,
    text: `
cell input_only_output
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param V : [H, I]
param A : [H, H]
let v = tanh(V @ x)
h' = tanh(W @ x + U @ h)
output v * 2 - 1 + A @ v
`,
  },
  {
    name: "previous_state_output",
    covers: "output h (the state before the step) and a state that copies the raw input",
    // y has the input's size, which a stacked layer changes: states must keep one size.
    stackable: false,
    alwaysInitial: true,
    text: `
cell previous_state_output
size I, H
input x : [I]
state h : [H]
state y : [I]
param W : [H, I]
param U : [H, H]
h' = tanh(W @ x + U @ h)
y' = x
output concat(h, y)
`,
  },
  {
    name: "sliced_output",
    covers:
      "an output and a next value made from the upper half of a bigger state (slices at an offset)",
    stackable: true,
    text: `
cell sliced_output
size I, H
input x : [I]
state s : [2*H]
state u : [H]
param W : [2*H, I]
param U : [2*H, 2*H]
s' = tanh(W @ x + U @ s)
let lo, hi = split(s', 2)
u' = hi
output hi - 0.5 * lo + u
`,
  },
  {
    name: "sliced_output_plain",
    covers: "an output that is exactly a slice of a state's next value",
    stackable: true,
    text: `
cell sliced_output_plain
size I, H
input x : [I]
state s : [2*H]
param W : [2*H, I]
param U : [2*H, 2*H]
s' = tanh(W @ x + U @ s)
let _lo, hi = split(s', 2)
output hi
`,
  },
  {
    name: "math",
    covers: "pow, max, min, abs, log1p, expm1, log, exp, sqrt, division, a scalar exponent",
    stackable: true,
    text: `
cell math
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param p : [] = 1.5
let z = W @ x + U @ h
let m = pow(abs(z) + 1, 0.5) - 1 + min(z, 0.5) * max(z, -0.5) + 0.1 * log1p(abs(z))
let n = expm1(-abs(z)) + sqrt(abs(z) + 0.25) + log(1 + z * z) - exp(-z * z) + z / (2 + abs(z))
h' = tanh(m + n + pow(abs(h) + 0.5, p) - pow(2, -abs(z)))
output h'
`,
  },
  {
    name: "grouping",
    covers:
      "generated operator precedence: nested subtraction and division, negations, " +
      "negative constants",
    stackable: true,
    text: `
cell grouping
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
fn shift(v, a = -1) = v - a
fn scale(v, a = -2) = v * a / (a - 1)
let z = W @ x + U @ h
let q = z - (h - 0.5) / (2 * (1 + z * z)) - -z * 0.25 + -(h - z) / 3 / 2
let r = -(-z) - (z - (h - (z - 1))) + shift(z) + scale(h) + 1 / (2 / (3 + z * z))
h' = tanh(q - r * 0.5 + -shift(-z, a = -0.5))
output h'
`,
  },
  {
    name: "peephole_lstm",
    covers: "peephole vectors elementwise with c and c', the docs' example cell",
    stackable: true,
    text: `
cell peephole_lstm
size I, H
input x : [I]
state h : [H]
state c : [H]
param weight_ih : [4*H, I]
param weight_hh : [4*H, H]
param bias_ih   : [4*H] = 0
param bias_hh   : [4*H] = 0
param peep_i    : [H]
param peep_f    : [H]
param peep_o    : [H]
slot gate = sigmoid
slot cand = tanh
slot cell = tanh
let zi, zf, zg, zo = split(weight_ih @ x + bias_ih + weight_hh @ h + bias_hh, 4)
let i = gate(zi + peep_i * c)
let f = gate(zf + peep_f * c)
let g = cand(zg)
let o = gate(zo + peep_o * c')
c' = f * c + i * g
h' = o * cell(c')
output h'
`,
  },
  {
    name: "phased_lstm",
    covers: "floor (a phase), sin and cos (a time encoding) in the time loop: Phased LSTM",
    stackable: true,
    text: PHASED_LSTM,
  },
  {
    name: "trig_stages",
    stages: { p: "weight", q: "sequence", r: "step" },
    covers: "sin, cos and floor at load time (params), before the loop (input) and in the loop",
    stackable: true,
    text: `
cell trig_stages
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param w : [H]
let p = cos(3 * w) - floor(w * 4) / 4
let q = sin(W @ x * 2)
let r = sin(U @ h + q) * cos(h * 2 - p)
h' = tanh(r + p * h)
output h'
`,
  },
  {
    name: "erf_stages",
    stages: { p: "weight", q: "sequence", r: "step" },
    covers:
      "erf, gelu and gelu_tanh at load time (params), before the loop (input) and in the loop",
    stackable: true,
    text: `
cell erf_stages
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param w : [H]
let p = erf(3 * w)
let q = gelu(W @ x * 4)
let r = erf(U @ h * 3 + q) - gelu_tanh(h * 3 - p)
h' = tanh(r + p * h)
output h'
`,
  },
  {
    name: "cifg_lstm",
    covers: "coupled input-forget gate LSTM (three gate blocks)",
    stackable: true,
    text: `
cell cifg_lstm
size I, H
input x : [I]
state h : [H]
state c : [H]
param weight_ih : [3*H, I]
param weight_hh : [3*H, H]
param bias_ih   : [3*H] = 0
param bias_hh   : [3*H] = 0
let zi, zg, zo = split(weight_ih @ x + bias_ih + weight_hh @ h + bias_hh, 3)
let i = sigmoid(zi)
c' = (1 - i) * c + i * tanh(zg)
h' = sigmoid(zo) * tanh(c')
output h'
`,
  },
  {
    name: "gru_reset_before",
    covers: "GRU with the reset gate applied before the matrix (a GEMM on a computed vector)",
    stackable: true,
    text: `
cell gru_reset_before
size I, H
input x : [I]
state h : [H]
param weight_ih : [3*H, I]
param weight_hr : [2*H, H]
param weight_hn : [H, H]
param bias : [3*H] = 0
let xr, xz, xn = split(weight_ih @ x + bias, 3)
let hr, hz = split(weight_hr @ h, 2)
let r = sigmoid(xr + hr)
let z = sigmoid(xz + hz)
let n = tanh(xn + weight_hn @ (r * h))
h' = (1 - z) * n + z * h
output h'
`,
  },
  {
    name: "split_weight_mgu",
    covers: "MGU with stacked weights split by rows: row blocks of load-time matrices in GEMMs",
    stackable: true,
    text: `
cell split_weight_mgu
size I, H
input x : [I]
state h : [H]
param weight_ih : [2*H, I]
param weight_hh : [2*H, H]
param bias : [2*H] = 0
let w_f, w_h = split(weight_ih, 2)
let u_f, u_h = split(weight_hh, 2)
let b_f, b_h = split(bias, 2)
let f = sigmoid(w_f @ x + u_f @ h + b_f)
let n = tanh(w_h @ x + u_h @ (f * h) + b_h)
h' = (1 - f) * h + f * n
output h'
`,
  },
  {
    name: "narrowed_rows",
    stages: { xa: "sequence", ha: "step" },
    covers:
      "products narrowed to the rows their slices read: two apart (a stacked row block) before " +
      "the loop, two adjacent through a sum with a state, a row block of the same matrix",
    stackable: true,
    text: `
cell narrowed_rows
size I, H
input x : [I]
state h : [H]
state s : [3*H]
param W : [3*H, I]
param U : [3*H, H]
param b : [3*H] = 0
let xa, _xb, xc = split(W @ x + b, 3)
let ha, hb, _hc = split(U @ h + s, 3)
let _ua, _ub, uc = split(U, 3)
h' = tanh(xa + ha) * sigmoid(xc + uc @ (hb * h))
s' = concat(h', 0.5 * h', h)
output h'
`,
  },
  {
    name: "minimal_gated_unit",
    covers: "MGU: one gate used for forgetting and for reading the state",
    stackable: true,
    text: `
cell minimal_gated_unit
size I, H
input x : [I]
state h : [H]
param Wf : [H, I]
param Uf : [H, H]
param Wh : [H, I]
param Uh : [H, H]
param bf : [H] = 1
let f = sigmoid(Wf @ x + Uf @ h + bf)
let n = tanh(Wh @ x + Uh @ (f * h))
h' = (1 - f) * h + f * n
output h'
`,
  },
  {
    name: "js_names",
    covers: "cell names that are the kernel's own identifiers or JavaScript keywords and globals",
    stackable: true,
    text: `
cell js_names
size B, T
input xs : [T]
state s : [B]
state b : [B]
param j : [B, T]
param acc : [B, B]
param Math : [B] = 0
param sigmoid_ : [] = 1
let k = j @ xs
let tb = acc @ s
let wRow = Math + sigmoid_
let new = tanh(k + tb + wRow)
let Float32Array = sigmoid(b)
let undefined = new * Float32Array
let sBuf = undefined * 0.5
let bNextBuf = sBuf + new
let createStack = bNextBuf - s
let s_next = createStack * 0.5
s' = s_next
b' = new
output s' - b'
`,
  },
  {
    name: "sliced_operands",
    covers: "GEMMs on slices of the state and of the input (views at offsets)",
    stackable: false,
    text: `
cell sliced_operands
size I, H
input x : [2*I]
state s : [2*H]
param Wa : [H, I]
param Wb : [H, I]
param U : [H, H]
let xa, xb = split(x, 2)
let lo, hi = split(s, 2)
s' = tanh(concat(Wa @ xa + U @ hi, Wb @ xb - U @ lo))
output concat(hi, xb)
`,
  },
  {
    name: "non_finite",
    premise: (wants) => {
      const out = wants.flatMap((w) => [...w.output.data]);
      expect(out.some(Number.isNaN), "some NaN").toBe(true);
      expect(out.includes(Infinity) && out.includes(-Infinity), "both infinities").toBe(true);
    },
    covers: "NaN and infinities: sqrt and log of the raw input, 1 / 0, select on NaN, NaN != NaN",
    stackable: false,
    zeros: true,
    text: `
cell non_finite
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
let r = sqrt(x)
let m = select(r, 1, 2) + (r > 0) + (r != r) * 4 + (r == r) * 8
h' = tanh(W @ m + U @ h)
output concat(h', r, log(abs(x)), 1 / x)
`,
  },
  {
    name: "odd_text",
    covers: "source lines with braces, quotes, comment ends and non-ASCII copied into comments",
    stackable: true,
    text: `
cell odd_text
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
h' = tanh(W @ x + U @ h)   # } } { */ " ' \\ \u00e9\u2211 \u2028 } for (let s = 0; s < T; s++) {
output h'                  # {{
`,
  },
  {
    name: "constant_sizes",
    covers:
      "sizes with constant terms and subtraction (H + 2, I + 1, H + I - 1) in shapes, " +
      "GEMMs, a concat with a [1] param and a split",
    // q has a size that depends on I, which stacking would change.
    stackable: false,
    text: `
cell constant_sizes
size I, H
input x : [I]
state h : [H + 2]
state q : [H + I - 1]
param W : [2*H + 4, I + 1]
param U : [2*H + 4, H + 2]
param Q : [H + I - 1, I]
param one : [1] = 1
let a, b = split(W @ concat(x, one) + U @ h, 2)
h' = tanh(a) * sigmoid(b)
q' = tanh(Q @ x) + 0.5 * q
output concat(h', q')
`,
  },
  {
    name: "direct_roots",
    covers:
      "next values that are a GEMM, a concat and an input-only GEMM themselves, with no " +
      "element-wise step after them; an optional matrix with a fill",
    stackable: true,
    text: `
cell direct_roots
size I, H
input x : [I]
state h : [H]
state s : [2*H]
state g : [H]
param U : [H, H + I]
param V : [H, I]
param M : [H, H] = 0.1
h' = U @ concat(tanh(h + g), x)
s' = concat(M @ h', h)
g' = V @ x
output s'
`,
  },
  {
    name: "no_params",
    covers: "a cell without weights (a running sum): sizes from the input alone",
    stackable: false,
    bidirectional: false,
    text: `
cell no_params
size H
input x : [H]
state h : [H]
h' = 0.5 * h + x
output h' * h'
`,
  },
  {
    name: "constant_next",
    stages: { "k'": "weight" },
    covers: "states whose next values depend on the weights alone (a load-time value, a param)",
    stackable: true,
    text: `
cell constant_next
size I, H
input x : [I]
state h : [H]
state k : [H]
state m : [H]
param W : [H, I]
param bk : [H]
k' = tanh(bk) * 2
m' = bk
h' = tanh(W @ x + k) + k' * m
output h'
`,
  },
  {
    name: "weight_only_output",
    covers: "an output computed from the weights alone (at load time); the state runs beside it",
    stackable: true,
    text: `
cell weight_only_output
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param bk : [H]
h' = tanh(W @ x + U @ h)
output tanh(bk) * 2
`,
  },
];
