// Prints IR one node per line: `%7 = sigmoid %6 : [H]  ; i  lstm.cell:6:7`. Deterministic, so
// golden files and `--dump-ir` diffs stay readable.
import { LineMap, type SourceText } from "../../diagnostics.js";
import { formatSize, formatSymbolicShape } from "../../shared/size.js";
import type { CellIR, Node } from "./ir.js";

function formatNumber(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

function operands(n: Node): string {
  switch (n.op) {
    case "input":
    case "state":
    case "param":
      return n.name;
    case "const":
      return formatNumber(n.value);
    case "size":
      return formatSize(n.size);
    case "slice":
      return `%${n.args[0]}[${formatSize(n.start)} +: ${formatSize(n.len)}]`;
    case "columns":
      return `%${n.args[0]}[:, ${formatSize(n.start)} +: ${formatSize(n.len)}]`;
    default:
      return n.args.map((a) => `%${a}`).join(", ");
  }
}

export function printNode(n: Node, where?: (n: Node) => string): string {
  const stage = n.stage && n.stage !== "step" ? ` @${n.stage}` : "";
  const text = `%${n.id} = ${n.op} ${operands(n)} : ${formatSymbolicShape(n.shape)}${stage}`;
  const named = "name" in n && n.hint === n.name ? undefined : n.hint;
  const notes = [named, where?.(n)].filter((x) => x !== undefined && x !== "");
  return notes.length > 0 ? `${text}  ; ${notes.join("  ")}` : text;
}

/** Prints the whole graph; with the source at hand, each node also says where it came from. */
export function printIR(ir: CellIR, source?: SourceText): string {
  const map = source ? new LineMap(source.text) : null;
  const where = (n: Node): string => {
    if (!map || !source || !n.span) return "";
    const { line, column } = map.position(n.span.start);
    return `${source.name}:${line}:${column}`;
  };
  const decls = [
    ...ir.inputs.map((d) => `  input ${d.name} : ${formatSymbolicShape(d.shape)}`),
    ...ir.states.map((d) => `  state ${d.name} : ${formatSymbolicShape(d.shape)}`),
    ...ir.params.map(
      (d) =>
        `  param ${d.name} : ${formatSymbolicShape(d.shape)}${d.fill === null ? "" : ` = ${formatNumber(d.fill)}`}`,
    ),
    ...ir.slots.map(
      (s) =>
        `  slot ${s.slot} = ${s.activation}${s.args.length ? `(${s.args.map(formatNumber).join(", ")})` : ""}`,
    ),
  ];
  const lines = [
    `cell ${ir.name}${ir.sizes.length ? ` (sizes ${ir.sizes.join(", ")})` : ""}`,
    ...decls,
    ...ir.nodes.map((n) => `  ${printNode(n, where)}`),
    ...[...ir.next].map(([name, id]) => `  ${name}' = %${id}`),
    `  output = %${ir.output}`,
  ];
  return lines.join("\n") + "\n";
}
