// Cells written differently from cells/*.cell, for checking that the passes work from the
// algebra and the stages rather than from the shape of PyTorch's LSTM: peepholes, a coupled
// input-forget gate, one matrix per gate with biases in mixed order, a GRU on concat(h, x), sums
// written in an unusual order, and a Phased LSTM with a sin/cos time encoding.

export interface CustomCell {
  readonly name: string;
  readonly text: string;
  /** Sizes for running it (every size the cell declares). */
  readonly sizes: Readonly<Record<string, number>>;
}

const LSTM_DECLS = [
  "size I, H",
  "input x : [I]",
  "state h : [H]",
  "state c : [H]",
  "param weight_ih : [4*H, I]",
  "param weight_hh : [4*H, H]",
  "param bias_ih : [4*H] = 0",
  "param bias_hh : [4*H] = 0",
];

const lines = (...xs: string[]): string => [...xs, ""].join("\n");

export const PEEPHOLE_LSTM = lines(
  "cell peephole_lstm",
  ...LSTM_DECLS,
  "param peep_i : [H]",
  "param peep_f : [H]",
  "param peep_o : [H]",
  "let zi, zf, zg, zo = split(weight_ih @ x + bias_ih + weight_hh @ h + bias_hh, 4)",
  "let i = sigmoid(zi + peep_i * c)",
  "let f = sigmoid(zf + peep_f * c)",
  "let o = sigmoid(zo + peep_o * c')",
  "c' = f * c + i * tanh(zg)",
  "h' = o * tanh(c')",
  "output h'",
);

/** Coupled input-forget gate: f = 1 - i, three gate blocks. */
export const CIFG_LSTM = lines(
  "cell cifg_lstm",
  ...LSTM_DECLS.map((d) => d.replace("4*H", "3*H")),
  "let zi, zg, zo = split(weight_ih @ x + bias_ih + weight_hh @ h + bias_hh, 3)",
  "let i = sigmoid(zi)",
  "c' = (1 - i) * c + i * tanh(zg)",
  "h' = sigmoid(zo) * tanh(c')",
  "output h'",
);

/** The LSTM sum written recurrent part first, biases apart: bias_hh + W_hh h + W_ih x + bias_ih. */
export const REORDERED_LSTM = lines(
  "cell reordered_lstm",
  ...LSTM_DECLS,
  "let zi, zf, zg, zo = split(bias_hh + weight_hh @ h + weight_ih @ x + bias_ih, 4)",
  "c' = sigmoid(zf) * c + sigmoid(zi) * tanh(zg)",
  "h' = sigmoid(zo) * tanh(c')",
  "output h'",
);

const gate = (g: string, sum: string): string =>
  `let ${g} = ${g === "g" ? "tanh" : "sigmoid"}(${sum})`;

/** One matrix per gate and two biases per gate, the terms of each gate in a different order. */
export const GATEWISE_LSTM = lines(
  "cell gatewise_lstm",
  "size I, H",
  "input x : [I]",
  "state h : [H]",
  "state c : [H]",
  ...["i", "f", "g", "o"].flatMap((g) => [
    `param W${g} : [H, I]`,
    `param U${g} : [H, H]`,
    `param b${g} : [H] = 0`,
    `param d${g} : [H] = 0`,
  ]),
  gate("i", "Wi @ x + bi + Ui @ h + di"),
  gate("f", "bf + Uf @ h + df + Wf @ x"),
  gate("g", "Ug @ h + (Wg @ x + bg) + dg"),
  gate("o", "do + bo + Wo @ x + Uo @ h"),
  "c' = f * c + i * g",
  "h' = o * tanh(c')",
  "output h'",
);

/** A GRU as papers write it: each gate one matrix on [h; x], the candidate on [r * h; x]. */
export const CONCAT_GRU = lines(
  "cell concat_gru",
  "size I, H",
  "input x : [I]",
  "state h : [H]",
  "param Wz : [H, H + I]",
  "param Wr : [H, H + I]",
  "param Wn : [H, H + I]",
  "param bz : [H] = 0",
  "param br : [H] = 0",
  "param bn : [H] = 0",
  "let z = sigmoid(Wz @ concat(h, x) + bz)",
  "let r = sigmoid(Wr @ concat(h, x) + br)",
  "let n = tanh(Wn @ concat(r * h, x) + bn)",
  "h' = (1 - z) * h + z * n",
  "output h'",
);

/** An Elman cell with the biases first and the input product last. */
export const BIAS_FIRST_RNN = lines(
  "cell bias_first_rnn",
  "size I, H",
  "input x : [I]",
  "state h : [H]",
  "param weight_ih : [H, I]",
  "param weight_hh : [H, H]",
  "param bias_ih : [H] = 0",
  "param bias_hh : [H] = 0",
  "h' = tanh(bias_hh + bias_ih + weight_hh @ h + weight_ih @ x)",
  "output h'",
);

/**
 * A GRU with the reset gate before the product, written as PyTorch's GRU is (one split of
 * weight_hh @ h + bias_hh) but using only its r and z parts; the candidate's rows are a block of
 * the same matrix. Unnarrowed, a third of the first product is thrown away.
 */
export const SPLIT_PRODUCT_GRU = lines(
  "cell split_product_gru",
  "size I, H",
  "input x : [I]",
  "state h : [H]",
  "param weight_ih : [3*H, I]",
  "param weight_hh : [3*H, H]",
  "param bias_ih : [3*H] = 0",
  "param bias_hh : [3*H] = 0",
  "let xr, xz, xn = split(weight_ih @ x + bias_ih, 3)",
  "let hr, hz, _hn = split(weight_hh @ h + bias_hh, 3)",
  "let _wr, _wz, w_hn = split(weight_hh, 3)",
  "let _br, _bz, b_hn = split(bias_hh, 3)",
  "let r = sigmoid(xr + hr)",
  "let z = sigmoid(xz + hz)",
  "let n = tanh(xn + w_hn @ (r * h) + b_hn)",
  "h' = (1 - z) * n + z * h",
  "output h'",
);

/**
 * A Phased LSTM (Neil et al. 2016) with a clock per unit: each unit is open during the first r_on
 * of its period tau (shifted by s), with the openness k rising and falling linearly (the paper's
 * leak alpha = 0, so k is continuous where the phase wraps); a sin/cos time encoding feeds the
 * candidate. The time is the step count, kept in a state.
 */
export const PHASED_LSTM = lines(
  "cell phased_lstm",
  "size I, H",
  "input x : [I]",
  "state h : [H]",
  "state c : [H]",
  "state t : [H]",
  "param weight_ih : [4*H, I]",
  "param weight_hh : [4*H, H]",
  "param bias : [4*H] = 0",
  "param tau : [H]",
  "param shift : [H]",
  "param omega : [H]",
  "param r_on : [] = 0.3",
  "let zi, zf, zg, zo = split(weight_ih @ x + weight_hh @ h + bias, 4)",
  "let u = (t - shift) / (abs(tau) + 0.5)",
  "let phase = u - floor(u)",
  "let k = max(1 - abs(2 * phase / (abs(r_on) + 0.2) - 1), 0)",
  "let enc = sin(omega * t) + cos(omega * (t - shift))",
  "let c_new = sigmoid(zf) * c + sigmoid(zi) * tanh(zg + enc)",
  "c' = k * c_new + (1 - k) * c",
  "h' = k * sigmoid(zo) * tanh(c_new) + (1 - k) * h",
  "t' = t + 1",
  "output h'",
);

export const CUSTOM_CELLS: readonly CustomCell[] = [
  { name: "peephole_lstm", text: PEEPHOLE_LSTM, sizes: { I: 3, H: 4 } },
  { name: "cifg_lstm", text: CIFG_LSTM, sizes: { I: 3, H: 4 } },
  { name: "reordered_lstm", text: REORDERED_LSTM, sizes: { I: 3, H: 4 } },
  { name: "gatewise_lstm", text: GATEWISE_LSTM, sizes: { I: 3, H: 4 } },
  { name: "concat_gru", text: CONCAT_GRU, sizes: { I: 3, H: 4 } },
  { name: "bias_first_rnn", text: BIAS_FIRST_RNN, sizes: { I: 3, H: 4 } },
  { name: "split_product_gru", text: SPLIT_PRODUCT_GRU, sizes: { I: 3, H: 4 } },
  { name: "phased_lstm", text: PHASED_LSTM, sizes: { I: 3, H: 4 } },
];
