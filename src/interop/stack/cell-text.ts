// Writes a RecurrentStack's cell as readable .cell text: an opening comment saying where the model
// came from and what each slot means, the declarations, the model's activations as the slots'
// defaults, and its clip written into the equations. Every name in the text is fixed here; numbers
// go through formatNumber, and the origin lines are checked to be printable ASCII.
import { type Activation, type CellSpec, type RecurrentStack, gateCount } from "./types.js";
import { customFnLines, isCustomActivation } from "./custom-fns.js";
import { formatNumber } from "./numbers.js";
import { describeStack, slotLines } from "./describe.js";

/** `name(args)` as a slot binding. */
export function bindingText(a: Activation): string {
  return a.args.length === 0 ? a.name : `${a.name}(${a.args.map(formatNumber).join(", ")})`;
}

/** The cell's name: the shipped cell it matches in form. */
export function cellName(cell: CellSpec): string {
  if (cell.kind === "lstm")
    return cell.peepholes && !cell.coupled ? "peephole_lstm" : cell.coupled ? "cifg_lstm" : "lstm";
  if (cell.kind === "gru") return cell.resetAfter ? "gru" : "gru_reset_before";
  return "rnn";
}

function slots(cell: CellSpec): [string, Activation][] {
  if (cell.kind === "lstm")
    return [
      ["gate", cell.gate],
      ["cand", cell.cand],
      ["cell", cell.cell],
    ];
  if (cell.kind === "gru")
    return [
      ["gate", cell.gate],
      ["cand", cell.cand],
    ];
  return [["act", cell.act]];
}

/** `text`, clipped to [-clip, clip] when the cell clips activation inputs. */
function clipped(cell: CellSpec, text: string): string {
  if (cell.clip === null) return text;
  const c = formatNumber(cell.clip);
  return `clip(${text}, -${c}, ${c})`;
}

function params(cell: CellSpec): string[] {
  const G = gateCount(cell);
  const rows = G === 1 ? "H" : `${G}*H`;
  const lines = [
    `param weight_ih : [${rows}, I]`,
    `param weight_hh : [${rows}, H]`,
    `param bias_ih   : [${rows}] = 0`,
    `param bias_hh   : [${rows}] = 0`,
  ];
  if (cell.kind === "lstm" && cell.peepholes) {
    lines.push("param peep_i    : [H]   # peephole weights (diagonal)");
    if (!cell.coupled) lines.push("param peep_f    : [H]");
    lines.push("param peep_o    : [H]");
  }
  return lines;
}

function lstmEquations(cell: Extract<CellSpec, { kind: "lstm" }>): string[] {
  const peep = (gate: string, c: string) => (cell.peepholes ? ` + peep_${gate} * ${c}` : "");
  const gate = (g: string, c: string) => `gate(${clipped(cell, `z${g}${peep(g, c)}`)})`;
  const sum = "weight_ih @ x + bias_ih + weight_hh @ h + bias_hh";
  const lines = cell.coupled
    ? [`let zi, zg, zo = split(${sum}, 3)`, `let i = ${gate("i", "c")}`, "let f = 1 - i"]
    : [
        `let zi, zf, zg, zo = split(${sum}, 4)`,
        `let i = ${gate("i", "c")}`,
        `let f = ${gate("f", "c")}`,
      ];
  return [
    ...lines,
    `let g = cand(${clipped(cell, "zg")})`,
    `let o = ${gate("o", "c'")}`,
    "",
    "c' = f * c + i * g",
    "h' = o * cell(c')",
  ];
}

function gruEquations(cell: Extract<CellSpec, { kind: "gru" }>): string[] {
  const gates = [
    "let xr, xz, xn = split(weight_ih @ x + bias_ih, 3)",
    ...(cell.resetAfter
      ? ["let hr, hz, hn = split(weight_hh @ h + bias_hh, 3)"]
      : ["let w_hr, w_hz, w_hn = split(weight_hh, 3)", "let b_hr, b_hz, b_hn = split(bias_hh, 3)"]),
  ];
  const [hr, hz, hn] = cell.resetAfter
    ? ["hr", "hz", "r * hn"]
    : ["w_hr @ h + b_hr", "w_hz @ h + b_hz", "w_hn @ (r * h) + b_hn"];
  return [
    ...gates,
    `let r = gate(${clipped(cell, `xr + ${hr}`)})`,
    `let z = gate(${clipped(cell, `xz + ${hz}`)})`,
    `let n = cand(${clipped(cell, `xn + ${hn}`)})`,
    "",
    "h' = (1 - z) * n + z * h",
  ];
}

function equations(cell: CellSpec): string[] {
  if (cell.kind === "lstm") return lstmEquations(cell);
  if (cell.kind === "gru") return gruEquations(cell);
  return [`h' = act(${clipped(cell, "weight_ih @ x + bias_ih + weight_hh @ h + bias_hh")})`];
}

/** The .cell text of the stack's cell. */
export function renderCell(stack: RecurrentStack): string {
  const { cell } = stack;
  const bound = slots(cell);
  const customs = [...new Set(bound.map(([, a]) => a.name).filter(isCustomActivation))];
  const header = [...stack.origin, "", ...describeStack(stack), ...slotLines(cell)];
  const lines = [
    ...header.map((l) => (l === "" ? "#" : `# ${checkedComment(l)}`)),
    `cell ${cellName(cell)}`,
    "",
    "size I, H",
    "",
    "input x : [I]",
    "state h : [H]",
    ...(cell.kind === "lstm" ? ["state c : [H]"] : []),
    "",
    ...params(cell),
    "",
    ...bound.map(([slot, a]) => `slot ${slot} = ${bindingText(a)}`),
    ...customs.flatMap((name) => ["", ...customFnLines(name)]),
    "",
    ...equations(cell),
    "",
    "output h'",
  ];
  return `${lines.join("\n")}\n`;
}

/** A comment line must stay one printable ASCII line: importers' text is checked, not trusted. */
function checkedComment(line: string): string {
  if (!/^[\x20-\x7e]*$/.test(line)) throw new Error(`internal: unchecked text in a cell comment`);
  return line;
}
