// The generic part of a generated .cell's opening comment: the stack's shape, how its weights are
// named and laid out, what each slot is for, and the clip. Words and numbers only.
import type { CellSpec, RecurrentStack } from "./types.js";
import { formatNumber } from "./numbers.js";

const KIND_NAMES = { lstm: "LSTM", gru: "GRU", rnn: "Elman RNN" } as const;

function cellWords(cell: CellSpec): string {
  if (cell.kind === "lstm") {
    if (cell.coupled) return "LSTM with coupled input and forget gates (f = 1 - i)";
    return cell.peepholes ? "peephole LSTM" : "LSTM";
  }
  if (cell.kind === "gru") {
    return cell.resetAfter
      ? "GRU (reset gate after the recurrent product, as nn.GRU)"
      : "GRU (reset gate before the recurrent product, as Cho et al. 2014)";
  }
  return KIND_NAMES.rnn;
}

function rowOrder(cell: CellSpec): string {
  if (cell.kind === "lstm") return cell.coupled ? "i, g, o" : "i, f, g, o";
  return cell.kind === "gru" ? "r, z, n" : "one block";
}

/** Lines on the stack's shape, weights and states. */
export function describeStack(stack: RecurrentStack): string[] {
  const L = stack.layers.length;
  const D = stack.directions === "bidirectional" ? 2 : 1;
  const module =
    stack.cell.kind === "lstm" ? "nn.LSTM" : stack.cell.kind === "gru" ? "nn.GRU" : "nn.RNN";
  const directions =
    stack.directions === "forward"
      ? ""
      : stack.directions === "backward"
        ? " backward-only"
        : " bidirectional";
  const states = stack.cell.kind === "lstm" ? "States h and c are" : "The state h is";
  const suffix =
    stack.directions === "backward"
      ? "_reverse (every layer runs backward)"
      : "_reverse for the backward direction";
  return [
    `A ${L}-layer${directions} ${cellWords(stack.cell)},`,
    `input size I = ${stack.inputSize}, hidden size H = ${stack.hiddenSize}.`,
    `Weights have ${module}'s names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0; _l{k} per`,
    `layer, ${suffix}) and gate rows stacked ${rowOrder(stack.cell)}.`,
    `${states} (layers * directions, batch, H) = (${L * D}, B, ${stack.hiddenSize}).`,
    stack.batchFirst
      ? "The model takes its input batch first, (B, T, I): run it with --batch-first."
      : "The model takes its input time first, (T, B, I).",
  ];
}

const SLOT_ROLES: Readonly<Record<CellSpec["kind"], Readonly<Record<string, string>>>> = {
  lstm: {
    gate: "the input, forget and output gates i, f, o",
    cand: "the candidate cell value g",
    cell: "squashes c' before the output gate",
  },
  gru: { gate: "the reset and update gates r, z", cand: "the candidate n" },
  rnn: { act: "the new state" },
};

/** Lines on the slots and the clip. */
export function slotLines(cell: CellSpec): string[] {
  const roles = SLOT_ROLES[cell.kind];
  const coupled = cell.kind === "lstm" && cell.coupled;
  const lines = [
    "Slots (the model's activations are their defaults; --act SLOT=SPEC overrides one):",
    ...Object.entries(roles).map(([slot, role]) => {
      const text =
        coupled && slot === "gate" ? "the input and output gates i, o (f = 1 - i)" : role;
      return `  ${slot.padEnd(4)}  ${text}`;
    }),
  ];
  if (cell.clip !== null) {
    const c = formatNumber(cell.clip);
    const which =
      cell.kind === "lstm" ? "the input of gate and cand (not c')" : "every activation's input";
    lines.push(`Clip: ${which} is clipped to [-${c}, ${c}], written in the equations.`);
  }
  return lines;
}
