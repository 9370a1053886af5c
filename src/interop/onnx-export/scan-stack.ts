// One layer of a stack written as Scans, one per direction, with the glue to the model's layouts:
// each direction's initial states taken from initial_<state> (or zeros), its outputs joined
// feature-wise (forward first) and its final states stacked as the layer's (D, B, size).
import type { CellIR } from "../../compiler/ir/ir.js";
import { evalSize } from "../../shared/size.js";
import type { LayerParams } from "./layer-plan.js";
import { type ModelIO, stepMask, zeroState } from "./model-io.js";
import { intAttr } from "./proto-values.js";
import { scanLayer } from "./scan-layer.js";

export interface StackLayer {
  readonly io: ModelIO;
  readonly ir: CellIR;
  /** The layer's directions. */
  readonly directions: readonly LayerParams[];
  /** The layer's number in the stack. */
  readonly k: number;
  /** Its input, (T, B, I). */
  readonly x: string;
  /** A backward-only stack: the one direction runs from the last step to the first. */
  readonly backward: boolean;
  readonly cannotExport: (op: string) => never;
}

export interface StackLayerResult {
  /** Per state, (D, B, size). */
  readonly finals: readonly string[];
  /** (T, B, D * out). */
  readonly output: string;
}

/** The initial (B, size) value of state `i` for direction `d` of layer `k`. */
function initialState(a: StackLayer, i: number, d: number): string {
  const g = a.io.model;
  const given = a.io.initial[i];
  if (given) {
    const row = a.k * a.directions.length + d;
    return g.op("Gather", [given, g.int(row)], { attrs: [intAttr("axis", 0)] });
  }
  const size = evalSize(a.ir.states[i]!.shape[0]!, a.directions[d]!.sizes);
  if (size === null) throw new Error("internal: a state's size is unknown");
  return zeroState(a.io, size);
}

export function scanStackLayer(a: StackLayer): StackLayerResult {
  const g = a.io.model;
  const results = a.directions.map((layer, d) =>
    scanLayer({
      model: g,
      ir: a.ir,
      layer,
      x: a.x,
      initial: a.ir.states.map((_, i) => initialState(a, i, d)),
      mask: a.io.lengths ? stepMask(a.io) : null,
      reverse: d === 1 || a.backward,
      prefix: `l${a.k}${d === 1 || a.backward ? "_reverse" : ""}`,
      cannotExport: a.cannotExport,
    }),
  );
  const outputs = results.map((r) => r.output);
  const output =
    outputs.length === 1
      ? outputs[0]!
      : g.op("Concat", outputs, { hint: `l${a.k}_output`, attrs: [intAttr("axis", -1)] });
  const finals = a.ir.states.map((_, i) => {
    const parts = results.map((r) => g.op("Unsqueeze", [r.finals[i]!, g.ints([0])]));
    return parts.length === 1 ? parts[0]! : g.op("Concat", parts, { attrs: [intAttr("axis", 0)] });
  });
  return { finals, output };
}
