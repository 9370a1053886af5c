// Decides whether a cell is exactly one of ONNX's recurrent operators: its optimized IR, printed
// without names of intermediate values or source positions, must equal that of a shipped template
// cell (fused-templates.ts) compiled with the same slot bindings, and every binding must be an
// ONNX activation. The comparison is of computations, not of file names: a renamed or reformatted
// copy of cells/lstm.cell matches, a clipped or otherwise changed one does not.
import { readFileSync } from "node:fs";
import type { CellIR, Node } from "../../compiler/ir/ir.js";
import { printNode } from "../../compiler/ir/print-ir.js";
import { compile } from "../../index.js";
import { formatSymbolicShape } from "../../shared/size.js";
import { bindingText, type OnnxActivation, onnxActivation } from "./activations.js";
import { FUSED_TEMPLATES, type FusedTemplate } from "./fused-templates.js";

export interface FusedMatch {
  readonly template: FusedTemplate;
  /** In the order of the operator's `activations` for one direction. */
  readonly activations: readonly OnnxActivation[];
}

/** The text of a shipped cell (cells/ sits two levels above both src/ and dist/'s folders). */
export function shippedCellText(name: string): string {
  return readFileSync(new URL(`../../../cells/${name}.cell`, import.meta.url), "utf8");
}

/** The computation of `ir`: interface (without fills), nodes (without hints), roots. */
export function canonicalIR(ir: CellIR): string {
  const decl = (kind: string, d: { name: string; shape: Node["shape"] }) =>
    `${kind} ${d.name} : ${formatSymbolicShape(d.shape)}`;
  return [
    `sizes ${ir.sizes.join(", ")}`,
    ...ir.inputs.map((d) => decl("input", d)),
    ...ir.states.map((d) => decl("state", d)),
    ...ir.params.map((d) => decl("param", d)),
    ...ir.nodes.map((n) => printNode({ ...n, hint: undefined, span: null } as Node)),
    ...[...ir.next].map(([name, id]) => `${name}' = %${id}`),
    `output = %${ir.output}`,
  ].join("\n");
}

function matches(ir: CellIR, template: FusedTemplate, text: string): FusedMatch | null {
  const own = new Map(ir.slots.map((s) => [s.slot, bindingText(s)]));
  if ([...own.keys()].some((slot) => !template.slots.includes(slot))) return null;
  const compiled = compile(text, { file: `${template.cell}.cell`, activations: own });
  if (!compiled.optIR || compiled.diagnostics.some((d) => d.severity === "error")) return null;
  if (canonicalIR(compiled.optIR) !== canonicalIR(ir)) return null;
  const activations = template.slots.map((slot) => {
    const binding = compiled.optIR!.slots.find((s) => s.slot === slot);
    return binding ? onnxActivation(binding) : null;
  });
  if (!activations.every((a): a is OnnxActivation => a !== null)) return null;
  return { template, activations };
}

/**
 * The operator `optIR` (a cell compiled with the default pipeline) is, or null. `text` gives a
 * template's source by its shipped name.
 */
export function matchFused(
  optIR: CellIR,
  text: (cell: string) => string = shippedCellText,
): FusedMatch | null {
  for (const template of FUSED_TEMPLATES) {
    const found = matches(optIR, template, text(template.cell));
    if (found) return found;
  }
  return null;
}
