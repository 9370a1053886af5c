// The layers and directions of an export, found exactly as `cellc run` finds them: the runtime's
// stack (weight names, size inference, weight checks and their errors) is built with a kernel
// maker that records each (layer, direction)'s sizes and weights instead of compiling anything.
import type { Sizes } from "../../embedded/bind-sizes.js";
import { concreteShape } from "../../embedded/bind-sizes.js";
import { createStack } from "../../embedded/stack.js";
import type { MakeKernel } from "../../embedded/stack-types.js";
import { type Weights, weightTensors } from "../../embedded/weights.js";
import type { CellIR } from "../../compiler/ir/ir.js";
import { cellMeta } from "../../compiler/ir/meta.js";
import { DataError } from "../../shared/data-error.js";
import { evalSize } from "../../shared/size.js";
import { shapeSize, type Tensor } from "../../shared/tensor.js";
import type { LayerParams } from "./layer-plan.js";

export interface BoundStack {
  /** layers[k][d]: direction d (0 forward, 1 reverse) of layer k. */
  readonly layers: readonly (readonly LayerParams[])[];
  /** Features per step of the model's input. */
  readonly inputSize: number;
  /** One direction per layer, run from the last step to the first (every name has _reverse). */
  readonly backward: boolean;
}

function paramValues(
  ir: CellIR,
  sizes: Sizes,
  given: ReadonlyMap<string, Tensor>,
): Map<string, Float64Array> {
  return new Map(
    ir.params.map((p) => {
      const t = given.get(p.name);
      const shape = concreteShape(p.shape, sizes)!;
      const values = t
        ? Float64Array.from(t.data)
        : new Float64Array(shapeSize(shape)).fill(p.fill ?? 0);
      return [p.name, values] as const;
    }),
  );
}

/**
 * Binds the stack of `ir` to `weights` (a record or Map by PyTorch name). `inputSize` is needed
 * only when the weights do not fix it (a cell without an input weight).
 */
export function bindStack(
  ir: CellIR,
  weights: Weights,
  source: string,
  inputSize: number | undefined,
): BoundStack {
  const records: LayerParams[] = [];
  const make: MakeKernel = (sizes, w) => {
    records.push({ sizes, params: paramValues(ir, sizes, w) });
    return () => {
      throw new Error("internal: an export's layer kernel was run");
    };
  };
  const meta = cellMeta(ir);
  const sources = { weights: source, input: "the input size" };
  const tensors = weightTensors(weights, source);
  // createStack binds every layer now when the weights fix the input size.
  const stack = createStack(meta, tensors, { sources }, Float64Array, make);
  const known = records[0] && evalSize(meta.input.shape[0]!, records[0].sizes);
  const size = inputSize ?? known;
  if (size === undefined || size === null) {
    const detail = `the weights do not tell the input size of cell '${ir.name}' (give it: --input-size N)`;
    throw new DataError(source, null, detail);
  }
  if (size !== known) records.length = 0;
  const { layers, directions } = stack.describe(size);
  const grouped = Array.from({ length: layers }, (_, k) =>
    records.slice(k * directions, (k + 1) * directions),
  );
  // The runtime reads a stack whose names all end in _l{k}_reverse as backward only.
  const names = [...tensors.keys()];
  const backward =
    directions === 1 && names.length > 0 && names.every((n) => /_l\d+_reverse$/.test(n));
  return { layers: grouped, inputSize: size, backward };
}
