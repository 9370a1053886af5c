// Runs a cell over a sequence with PyTorch's semantics for a whole stack: layers and directions
// from the weight names, layer k>0 fed the previous layer's D*H_out outputs, the reverse
// direction run from the last step to the first with outputs aligned to input time, initial
// states (L*D, B, size) defaulting to zeros, seq-first or batch-first input, and per-sample
// sequence lengths (lengths.ts): outputs past a sample's length are zeros, for the caller and for
// the layer above alike.
import { sizesFromWeights } from "./bind-sizes.js";
import { splitLayers } from "./layers.js";
import { type Prepared, describeLayers, prepareLayers } from "./prepare-layers.js";
import type { CellMeta } from "../shared/meta.js";
import { evalSize } from "../shared/size.js";
import type { FloatArray, Tensor } from "../shared/tensor.js";
import { DataError } from "../shared/data-error.js";
import { forwardLengths, zeroPadding } from "./lengths.js";
import { withMemory } from "./out-of-memory.js";
import { checkFloats, checkInitialState, initialStates, sequenceDims } from "./stack-checks.js";
import type {
  FloatArrayType,
  ForwardOptions,
  MakeKernel,
  Stack,
  StackOptions,
  StackResult,
  StackTarget,
} from "./stack-types.js";

export function createStack<A extends FloatArray>(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
  options: StackOptions,
  arrayType: FloatArrayType<A>,
  makeKernel: MakeKernel,
): Stack<A> {
  const weightSource = options.sources?.weights ?? "weights";
  const inputSource = options.sources?.input ?? "input";
  const lengthsSource = options.sources?.lengths ?? "lengths";
  const batchFirst = options.batchFirst ?? false;
  const stack = splitLayers(meta, weights, weightSource);
  const cache = new Map<number, Prepared>();

  const prepare = (inputSize: number): Prepared => {
    let layers = cache.get(inputSize);
    if (layers) return layers;
    layers = prepareLayers(meta, stack, inputSize, makeKernel, weightSource, inputSource);
    cache.set(inputSize, layers);
    return layers;
  };

  // When the weights alone fix the input size, all weight-only work happens now, at creation.
  const known = sizesFromWeights(meta, stack.layers[0]![0]!);
  const inputSize = evalSize(meta.input.shape[0]!, known);
  if (inputSize !== null) prepare(inputSize);

  let busy = false;
  const forward = (
    input: Tensor,
    initial: unknown,
    forwardOptions: unknown,
    into?: StackTarget<A>,
  ): StackResult<A> => {
    const { T, B, I } = sequenceDims(input, batchFirst, inputSource);
    const given = initialStates(meta, initial, options);
    const lengths = forwardLengths(forwardOptions, T, B, lengthsSource);
    const layers = withMemory(weightSource, "building the layers", () => prepare(I));
    const { directions: D, outFeatures: F, stateSizes } = describeLayers(layers);
    const count = layers.length * D;
    checkForwardFloats(layers, T, B, I, inputSource);
    const { output, states } = into ?? allocateResult(arrayType, T * B * F, count * B, stateSizes);
    meta.states.forEach((s, i) => {
      const t = given.get(s.name);
      if (!t) return;
      checkInitialState(t, s.name, count, B, stateSizes[i]!, options);
      states[i]!.set(t.data);
    });
    // With no step or no sample there is nothing to compute: the states stay as they are given.
    if (T > 0 && B > 0) {
      // Kernels never write their input: seq-first input of the right type is read where it is.
      const xs: FloatArray = batchFirst
        ? transpose(input.data, B, T, I, new arrayType(T * B * I))
        : input.data instanceof arrayType
          ? input.data
          : copyInto(new arrayType(T * B * I), input.data);
      const last = batchFirst ? null : output;
      const run = () =>
        runLayers(layers, { xs, inSize: I, T, B, lengths }, states, arrayType, last);
      const ys = withMemory(inputSource, `for a (T=${T}, B=${B}) forward`, run);
      if (batchFirst) transpose(ys, T, B, F, output);
    }
    const finals = meta.states.map((s, i) => {
      const t: Tensor<A> = { data: states[i]!, shape: [count, B, stateSizes[i]!] };
      return [s.name, t] as const;
    });
    return {
      output: { data: output, shape: batchFirst ? [B, T, F] : [T, B, F] },
      // fromEntries makes own properties, so a state named `__proto__` is kept as one.
      states: Object.fromEntries(finals),
    };
  };

  return {
    describe: (size) => describeLayers(prepare(size)),
    forward(input, initial, forwardOptions, into) {
      if (busy) throw reentered();
      busy = true;
      try {
        return forward(input, initial, forwardOptions, into);
      } finally {
        busy = false;
      }
    },
  };
}

/** A forward started while one of the same stack runs (from a getter of its input, say). */
export function reentered(): DataError {
  const detail =
    "a forward of this model was started while another one runs (from inside a getter of its input?); it would share buffers with it: use a second model";
  return new DataError("forward", null, detail);
}

/** Refuses a forward whose buffers would be over the limits, before any is allocated. */
function checkForwardFloats(
  layers: Prepared,
  T: number,
  B: number,
  I: number,
  source: string,
): void {
  const D = layers[0]!.length;
  const stateFloats = layers[0]![0]!.stateSizes.reduce((a, b) => a + b, 0);
  checkFloats(T * B * I, source, "the input");
  checkFloats(layers.length * D * B * stateFloats, source, "the states");
  layers.forEach((directions, k) => {
    checkFloats(T * B * D * directions[0]!.outSize, source, `the output of layer ${k}`);
  });
}

/** Runs once: `createStack(...).forward(...)`, with the forward's lengths among the options. */
export function runStack<A extends FloatArray>(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
  input: Tensor,
  initial: Readonly<Record<string, Tensor>> | undefined,
  options: StackOptions & ForwardOptions,
  arrayType: FloatArrayType<A>,
  makeKernel: MakeKernel,
): StackResult<A> {
  const stack = createStack(meta, weights, options, arrayType, makeKernel);
  const { lengths } = options;
  return stack.forward(input, initial, lengths === undefined ? {} : { lengths });
}

/**
 * One allocation for everything a forward returns (a typed array's own buffer costs far more than
 * a view, which matters for short sequences): the output, then per state its (L*D, B, size)
 * tensor, on whose views every (layer, direction) reads initial and writes final values.
 */
function allocateResult<A extends FloatArray>(
  arrayType: FloatArrayType<A>,
  outputLength: number,
  rows: number,
  stateSizes: readonly number[],
): StackTarget<A> {
  const block = new arrayType(outputLength + rows * stateSizes.reduce((a, b) => a + b, 0));
  let at = outputLength;
  const states = stateSizes.map((size) => block.subarray(at, (at += rows * size)) as A);
  return { output: block.subarray(0, outputLength) as A, states };
}

/** A forward's seq-first input and its dimensions. */
interface Sequence {
  readonly xs: FloatArray;
  readonly inSize: number;
  readonly T: number;
  readonly B: number;
  readonly lengths: Int32Array | null;
}

/**
 * Runs the layers in turn, each on the one before's outputs (zeros past each sample's length),
 * and returns the last one's (T, B, D * outSize) outputs, written into `last` when given.
 * `states` are (L*D, B, size).
 */
function runLayers(
  layers: Prepared,
  input: Sequence,
  states: readonly FloatArray[],
  arrayType: FloatArrayType<FloatArray>,
  last: FloatArray | null,
): FloatArray {
  const { T, B, lengths } = input;
  const D = layers[0]!.length;
  const count = layers.length * D;
  const stateSizes = layers[0]![0]!.stateSizes;
  // The (B, size) slice of each state that (layer, direction) number j reads and writes.
  const views = (j: number): FloatArray[] =>
    states.map((data, i) => {
      if (count === 1) return data;
      const part = B * stateSizes[i]!;
      return data.subarray(j * part, (j + 1) * part);
    });
  let { xs, inSize } = input;
  for (let k = 0; k < layers.length; k++) {
    const directions = layers[k]!;
    const outSize = directions[0]!.outSize;
    const ys = k === layers.length - 1 && last ? last : new arrayType(T * B * D * outSize);
    for (let d = 0; d < D; d++) {
      directions[d]!.kernel({
        xs,
        inSize,
        states: views(k * D + d),
        ys,
        outStride: D * outSize,
        outOffset: d * outSize,
        steps: T,
        batch: B,
        reverse: directions[d]!.reverse,
        lengths,
      });
    }
    if (lengths) zeroPadding(ys, T, B, D * outSize, lengths);
    xs = ys;
    inSize = D * outSize;
  }
  return xs;
}

/** (a, b, F) -> (b, a, F): batch-first to seq-first and back. */
function transpose<A extends FloatArray>(
  data: FloatArray,
  a: number,
  b: number,
  F: number,
  out: A,
): A {
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      out.set(data.subarray((i * b + j) * F, (i * b + j + 1) * F), (j * a + i) * F);
  return out;
}

function copyInto<A extends FloatArray>(out: A, data: FloatArray): A {
  out.set(data);
  return out;
}
