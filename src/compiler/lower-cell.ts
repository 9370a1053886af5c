// Lowers a resolved cell to IR, statement by statement: the lets lowering must take ahead, each
// state's next value, the output, then the unused lets (so their mistakes are reported too); the
// IR is what DCE leaves of it. Expressions are lowered by the Lowerer (lower.ts).
import type { Diagnostic } from "../diagnostics.js";
import type { DeclOf } from "../dsl/ast.js";
import type { CellIR, ValueId } from "./ir/ir.js";
import { dce } from "./passes/dce.js";
import type { Resolution } from "./resolve/resolution.js";
import { Lowerer, type Value } from "./lower.js";

export function lower(
  r: Resolution,
  source: string,
  libraryFns: ReadonlySet<DeclOf<"Fn">>,
): { ir: CellIR | null; diagnostics: Diagnostic[] } {
  const l = new Lowerer(r, libraryFns);
  // Each statement is lowered from here, at the top, and is where a cell too large is reported.
  const update = (state: string): Value => {
    l.statement = r.updates.get(state)!.name.span;
    return l.next(state);
  };
  const letValues = (d: DeclOf<"Let">): readonly Value[] => {
    l.statement = d.names[0]!.span;
    return l.letValues(d);
  };
  for (const d of r.eager) {
    if (d.kind === "Let") letValues(d);
    else update(d.name.name);
  }
  const next = new Map<string, Value>();
  for (const s of r.states) next.set(s.name.name, update(s.name.name));
  l.statement = r.output.value.span;
  const output = l.output();
  // Unused lets are lowered too, so their mistakes are reported; DCE then drops what they built.
  for (const d of r.lets) letValues(d);
  if (l.diagnostics.length > 0 || output === null || [...next.values()].includes(null)) {
    return { ir: null, diagnostics: l.diagnostics };
  }
  const ir: CellIR = {
    name: r.cellName,
    source,
    sizes: r.sizes,
    inputs: [{ name: r.input.name.name, shape: r.shapes.get(r.input.name.name)! }],
    states: r.states.map((s) => ({ name: s.name.name, shape: r.shapes.get(s.name.name)! })),
    params: r.params.map((p) => ({
      name: p.name.name,
      shape: r.shapes.get(p.name.name)!,
      fill: p.default?.value ?? null,
    })),
    slots: [...r.slots.values()].map((t) => ({
      slot: t.slot,
      activation: t.activation,
      args: t.extra,
    })),
    nodes: l.builder.finish(),
    next: next as Map<string, ValueId>,
    output,
  };
  return { ir: dce.run(ir, { verify: false }), diagnostics: l.diagnostics };
}
