// The shipped cells that are exactly one of ONNX's recurrent operators, and how their PyTorch-style
// weights become the operator's: gate blocks reordered (LSTM i, o, f, c; GRU z, r, h), missing
// blocks zero, B = [bias_ih; bias_hh] each reordered alike, P = [p_i, p_o, p_f].
// Each lists its slots in the order of ONNX's `activations` (LSTM f, g, h; GRU f, g; RNN f).

export interface FusedTemplate {
  /** The shipped cell (cells/<cell>.cell) the cell must equal, slot bindings aside. */
  readonly cell: string;
  readonly op: "LSTM" | "GRU" | "RNN";
  readonly slots: readonly string[];
  /** The states in the order of the operator's final-state outputs (Y_h, Y_c). */
  readonly states: readonly string[];
  /** The gate blocks stacked in weight_ih, weight_hh and each bias. */
  readonly cellBlocks: number;
  /** For each of the operator's gate blocks, the cell's block, or null for zeros. */
  readonly blocks: readonly (number | null)[];
  /** The peephole vectors of P (i, o, f): param names, null for zeros; absent: no P. */
  readonly peepholes?: readonly (string | null)[];
  /** Integer attributes the operator needs besides the common ones. */
  readonly attrs: readonly (readonly [string, number])[];
}

const LSTM_SLOTS = ["gate", "cand", "cell"];
// nn.LSTM stacks i, f, g, o; ONNX i, o, f, c (c is the candidate g).
const LSTM_BLOCKS = [0, 3, 1, 2];

export const FUSED_TEMPLATES: readonly FusedTemplate[] = [
  {
    cell: "lstm",
    op: "LSTM",
    slots: LSTM_SLOTS,
    states: ["h", "c"],
    cellBlocks: 4,
    blocks: LSTM_BLOCKS,
    attrs: [],
  },
  {
    cell: "peephole_lstm",
    op: "LSTM",
    slots: LSTM_SLOTS,
    states: ["h", "c"],
    cellBlocks: 4,
    blocks: LSTM_BLOCKS,
    peepholes: ["peep_i", "peep_o", "peep_f"],
    attrs: [],
  },
  {
    // Blocks i, g, o; ONNX ignores its f rows and p_f when input_forget = 1 (f = 1 - i).
    cell: "cifg_lstm",
    op: "LSTM",
    slots: LSTM_SLOTS,
    states: ["h", "c"],
    cellBlocks: 3,
    blocks: [0, 2, null, 1],
    peepholes: ["peep_i", "peep_o", null],
    attrs: [["input_forget", 1]],
  },
  {
    // nn.GRU stacks r, z, n; ONNX z, r, h. PyTorch applies r after the product: linear_before_reset.
    cell: "gru",
    op: "GRU",
    slots: ["gate", "cand"],
    states: ["h"],
    cellBlocks: 3,
    blocks: [1, 0, 2],
    attrs: [["linear_before_reset", 1]],
  },
  {
    cell: "gru_reset_before",
    op: "GRU",
    slots: ["gate", "cand"],
    states: ["h"],
    cellBlocks: 3,
    blocks: [1, 0, 2],
    attrs: [["linear_before_reset", 0]],
  },
  { cell: "rnn", op: "RNN", slots: ["act"], states: ["h"], cellBlocks: 1, blocks: [0], attrs: [] },
];
