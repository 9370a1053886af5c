// Binds a stack's layers to their weights: each (layer, direction)'s sizes (the input size of
// layer k > 0 is the layer below's D * output size), its kernel and its run direction, with the
// checks that the layers fit together.
import { bindSizes, type Sizes } from "./bind-sizes.js";
import { type StackWeights, tensorName } from "./layers.js";
import type { CellMeta } from "../shared/meta.js";
import { evalSize } from "../shared/size.js";
import { checkInputSize, checkSameSizes } from "./stack-checks.js";
import type { LayerKernel, MakeKernel, StackShape } from "./stack-types.js";

export interface PreparedLayer {
  readonly kernel: LayerKernel;
  /** Runs from the last step to the first: the backward direction, or a backward-only stack. */
  readonly reverse: boolean;
  /** Per state, its size (the same in every layer, as the stacked states require). */
  readonly stateSizes: readonly number[];
  readonly outSize: number;
}

/** layers[k][d]: direction d of layer k. */
export type Prepared = readonly (readonly PreparedLayer[])[];

/** Binds the sizes of every (layer, direction) for inputs of `inputSize` and builds its kernel. */
export function prepareLayers(
  meta: CellMeta,
  stack: StackWeights,
  inputSize: number,
  makeKernel: MakeKernel,
  weightSource: string,
  inputSource: string,
): Prepared {
  const layers: PreparedLayer[][] = [];
  let inSize = inputSize;
  stack.layers.forEach((directions, k) => {
    const built = directions.map((w, d) => {
      const naming = {
        source: weightSource,
        tensorName: (p: string) => tensorName(stack, p, k, d),
      };
      const sizes = bindSizes(meta, w, inSize, naming);
      const source = k === 0 ? inputSource : weightSource;
      checkInputSize(meta, sizes, inSize, k, source, naming.tensorName);
      const outSize = sizeOf(meta.output.shape[0]!, sizes);
      const stateSizes = meta.states.map((s) => sizeOf(s.shape[0]!, sizes));
      checkSameSizes(meta, stateSizes, layers[0]?.[0]?.stateSizes, k, weightSource);
      const reverse = d === 1 || stack.backward;
      return { kernel: makeKernel(sizes, w), reverse, stateSizes, outSize };
    });
    layers.push(built);
    inSize = directions.length * built[0]!.outSize;
  });
  return layers;
}

function sizeOf(dim: Parameters<typeof evalSize>[0], sizes: Sizes): number {
  const n = evalSize(dim, sizes);
  if (n === null) throw new Error("internal: a state or output size is unknown after binding");
  return n;
}

export function describeLayers(layers: Prepared): StackShape {
  const last = layers[layers.length - 1]!;
  return {
    layers: layers.length,
    directions: last.length,
    outFeatures: last.length * last[0]!.outSize,
    stateSizes: layers[0]![0]!.stateSizes,
  };
}
