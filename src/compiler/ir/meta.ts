// The runtime's view of a compiled cell (its interface with symbolic shapes), read off the IR.
import type { CellMeta } from "../../shared/meta.js";
import type { CellIR } from "./ir.js";

export function cellMeta(ir: CellIR): CellMeta {
  const input = ir.inputs[0];
  if (!input) throw new Error("internal: a cell without an input reached the runtime");
  return {
    name: ir.name,
    sizes: ir.sizes,
    input,
    states: ir.states,
    params: ir.params,
    output: { name: "output", shape: ir.nodes[ir.output]!.shape },
    slots: ir.slots.map((s) => ({ slot: s.slot, activation: s.activation, args: s.args })),
  };
}
