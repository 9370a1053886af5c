// What one (layer, direction) of a cell needs before it is written as a Scan: each node's stage,
// which nodes the state updates and the output use, which input-only values cross into the time
// loop, and the weight-only values, computed here in float64 by the project's interpreter.
import type { Sizes } from "../../embedded/bind-sizes.js";
import { interpretStep } from "../../compiler/ir/interpret.js";
import { type CellIR, rootsOf, type Stage, type ValueId } from "../../compiler/ir/ir.js";
import { computeStages } from "../../compiler/passes/stages.js";
import { evalSize } from "../../shared/size.js";

export interface LayerParams {
  readonly sizes: Sizes;
  /** Every param's values: the weight as given, or its fill. */
  readonly params: ReadonlyMap<string, Float64Array>;
}

export interface LayerPlan {
  readonly stages: readonly Stage[];
  /** Nodes the roots (next values, output) depend on. */
  readonly used: readonly boolean[];
  /** Input-only values the time loop reads: each becomes one of the Scan's scan inputs. */
  readonly crossing: readonly ValueId[];
  /** The values of the weight-only nodes (others hold the interpreter's values on zeros). */
  readonly weightValues: readonly Float64Array[];
}

function usedNodes(ir: CellIR): boolean[] {
  const used = ir.nodes.map(() => false);
  for (const root of rootsOf(ir)) used[root] = true;
  for (let id = ir.nodes.length - 1; id >= 0; id--) {
    if (used[id]) for (const a of ir.nodes[id]!.args) used[a] = true;
  }
  return used;
}

function crossingNodes(ir: CellIR, stages: readonly Stage[], used: readonly boolean[]): ValueId[] {
  const crossing = new Set<ValueId>();
  for (const root of rootsOf(ir)) if (stages[root] === "sequence") crossing.add(root);
  ir.nodes.forEach((n, id) => {
    if (!used[id] || stages[id] !== "step") return;
    for (const a of n.args) if (stages[a] === "sequence") crossing.add(a);
  });
  return [...crossing].sort((a, b) => a - b);
}

const zeros = (shape: CellIR["states"][number]["shape"], sizes: Sizes) =>
  new Float64Array(shape.reduce((p, d) => p * (evalSize(d, sizes) ?? 0), 1));

export function planLayer(ir: CellIR, layer: LayerParams): LayerPlan {
  const stages = computeStages(ir.nodes);
  const used = usedNodes(ir);
  // The interpreter evaluates every node; with zeros for the input and the states, the values of
  // the weight-only nodes are exact (they read neither).
  const weightValues = interpretStep(ir, layer.sizes, (n) => {
    if (n.op === "param") {
      const p = layer.params.get(n.name);
      if (!p) throw new Error(`internal: no values for param '${n.name}'`);
      return p;
    }
    return zeros(n.shape, layer.sizes);
  });
  return { stages, used, crossing: crossingNodes(ir, stages, used), weightValues };
}

/** `m` ([rows, cols], row-major) transposed. */
export function transpose(m: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(m.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}
