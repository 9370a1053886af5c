// Runs a cell over a sequence with PyTorch's semantics for a whole stack: layers and directions
// from the weight names, layer k>0 fed the previous layer's D*H_out outputs, the reverse
// direction run from the last step to the first with outputs aligned to input time, initial
// states (L*D, B, size) defaulting to zeros, seq-first or batch-first input.
import { type Sizes, bindSizes, concreteShape, sizesFromWeights } from "./bind-sizes.js";
import { DataError } from "../shared/data-error.js";
import { splitLayers, tensorName } from "./layers.js";
import type { CellMeta } from "../shared/meta.js";
import { evalSize } from "../shared/size.js";
import { type FloatArray, type Tensor, formatShape } from "../shared/tensor.js";

/** One direction of one layer, ready to run. Buffers are seq-first: (T, B, features). */
export interface LayerRun {
  readonly xs: FloatArray;
  readonly inSize: number;
  /** Per state, (B, size): the initial values on entry, the final values on return. */
  readonly states: FloatArray[];
  /** (T, B, outStride); this direction writes features [outOffset, outOffset + outSize). */
  readonly ys: FloatArray;
  readonly outStride: number;
  readonly outOffset: number;
  readonly steps: number;
  readonly batch: number;
  readonly reverse: boolean;
}

export type LayerKernel = (run: LayerRun) => void;

export interface StackOptions {
  /** Input (batch, time, features) instead of (time, batch, features), as batch_first=True. */
  readonly batchFirst?: boolean;
  /**
   * Threads to split a forward's batch over (Node; default 1): rows are shared out, at least two
   * per thread, when the work is worth a wake-up. Results equal one thread's bit for bit.
   */
  readonly threads?: number;
  /** Names for error messages: where the weights, the input and each initial state came from. */
  readonly sources?: {
    readonly weights?: string;
    readonly input?: string;
    readonly states?: Readonly<Record<string, string>>;
  };
}

export interface StackResult<A extends FloatArray> {
  readonly output: Tensor<A>;
  readonly states: Record<string, Tensor<A>>;
}

/** Float32Array or Float64Array: what a stack allocates and computes in. */
export type FloatArrayType<A extends FloatArray> = new (length: number) => A;

export type MakeKernel = (sizes: Sizes, layerWeights: ReadonlyMap<string, Tensor>) => LayerKernel;

/** A stack ready to run: weights checked, sizes bound, kernels built (once per input size). */
export interface Stack<A extends FloatArray> {
  forward(
    input: Tensor,
    initial?: Readonly<Record<string, Tensor>>,
    into?: StackTarget<A>,
  ): StackResult<A>;
  /** The stack's dimensions for inputs of this size (checks the weights for it). */
  describe(inputSize: number): StackShape;
}

/**
 * Where a forward may write instead of allocating (the thread pool's shared memory): the output,
 * seq-first, and per state its (L*D, B, size) values, which are the initial ones on entry.
 */
export interface StackTarget<A extends FloatArray> {
  readonly output: A;
  readonly states: readonly A[];
}

export interface StackShape {
  readonly layers: number;
  readonly directions: number;
  /** Features per step of the output: directions * the last layer's output size. */
  readonly outFeatures: number;
  /** Per state, its size. */
  readonly stateSizes: readonly number[];
}

interface PreparedLayer {
  readonly kernel: LayerKernel;
  /** Per state, its size (the same in every layer, as the stacked states require). */
  readonly stateSizes: readonly number[];
  readonly outSize: number;
}

interface Prepared {
  readonly layers: readonly (readonly PreparedLayer[])[];
}

export function createStack<A extends FloatArray>(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
  options: StackOptions,
  arrayType: FloatArrayType<A>,
  makeKernel: MakeKernel,
): Stack<A> {
  const weightSource = options.sources?.weights ?? "weights";
  const inputSource = options.sources?.input ?? "input";
  const batchFirst = options.batchFirst ?? false;
  const stack = splitLayers(meta, weights, weightSource);
  const cache = new Map<number, Prepared>();

  const prepare = (inputSize: number): Prepared => {
    let prepared = cache.get(inputSize);
    if (prepared) return prepared;
    const layers: PreparedLayer[][] = [];
    let inSize = inputSize;
    stack.layers.forEach((directions, k) => {
      const built = directions.map((w, d) => {
        const naming = {
          source: weightSource,
          tensorName: (p: string) => tensorName(stack, p, k, d),
        };
        const sizes = bindSizes(meta, w, inSize, naming);
        checkInputSize(
          meta,
          sizes,
          inSize,
          k,
          k === 0 ? inputSource : weightSource,
          naming.tensorName,
        );
        const outSize = sizeOf(meta.output.shape[0]!, sizes);
        const stateSizes = meta.states.map((s) => sizeOf(s.shape[0]!, sizes));
        checkSameSizes(meta, stateSizes, layers[0]?.[0]?.stateSizes, k, weightSource);
        return { kernel: makeKernel(sizes, w), stateSizes, outSize };
      });
      layers.push(built);
      inSize = directions.length * built[0]!.outSize;
    });
    prepared = { layers };
    cache.set(inputSize, prepared);
    return prepared;
  };

  // When the weights alone fix the input size, all weight-only work happens now, at creation.
  const known = sizesFromWeights(meta, stack.layers[0]![0]!);
  const inputSize = evalSize(meta.input.shape[0]!, known);
  if (inputSize !== null) prepare(inputSize);

  return {
    describe(size) {
      const { layers } = prepare(size);
      const last = layers[layers.length - 1]!;
      const outFeatures = last.length * last[0]!.outSize;
      return {
        layers: layers.length,
        directions: last.length,
        outFeatures,
        stateSizes: layers[0]![0]!.stateSizes,
      };
    },
    forward(input, initial = {}, into) {
      const { T, B, I } = sequenceDims(input, batchFirst, inputSource);
      const { layers } = prepare(I);
      const D = layers[0]!.length;
      const count = layers.length * D;
      const stateSizes = layers[0]![0]!.stateSizes;
      const F = D * layers[layers.length - 1]![0]!.outSize;
      // One allocation for everything returned (a typed array's own buffer costs far more than a
      // view, which matters for short sequences): the output, then per state its (L*D, B, size)
      // tensor, on whose views every (layer, direction) reads initial and writes final values.
      const block = into
        ? null
        : new arrayType(T * B * F + count * B * stateSizes.reduce((a, b) => a + b, 0));
      const output = into?.output ?? (block!.subarray(0, T * B * F) as A);
      let at = T * B * F;
      const states = meta.states.map((s, i) => {
        const size = stateSizes[i]!;
        const data = into?.states[i] ?? (block!.subarray(at, (at += count * B * size)) as A);
        const given = initial[s.name];
        if (given) {
          checkInitialState(given, s.name, count, B, size, options);
          data.set(given.data);
        }
        return data;
      });
      const views = (j: number): FloatArray[] =>
        states.map((data, i) => {
          if (count === 1) return data;
          const part = B * stateSizes[i]!;
          return data.subarray(j * part, (j + 1) * part);
        });
      // Kernels never write their input: seq-first input of the right type is read where it is.
      let xs: FloatArray = batchFirst
        ? transpose(input.data, B, T, I, new arrayType(T * B * I))
        : input.data instanceof arrayType
          ? input.data
          : copyInto(new arrayType(T * B * I), input.data);
      let inSize = I;
      for (let k = 0; k < layers.length; k++) {
        const directions = layers[k]!;
        const outSize = directions[0]!.outSize;
        const last = k === layers.length - 1;
        const ys = last && !batchFirst ? output : new arrayType(T * B * D * outSize);
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
            reverse: d === 1,
          });
        }
        xs = ys;
        inSize = D * outSize;
      }
      if (batchFirst) transpose(xs, T, B, F, output);
      const finals: Record<string, Tensor<A>> = {};
      meta.states.forEach((s, i) => {
        finals[s.name] = { data: states[i]!, shape: [count, B, stateSizes[i]!] };
      });
      return {
        output: { data: output, shape: batchFirst ? [B, T, F] : [T, B, F] },
        states: finals,
      };
    },
  };
}

/** Runs once: `createStack(...).forward(...)`. */
export function runStack<A extends FloatArray>(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
  input: Tensor,
  initial: Readonly<Record<string, Tensor>>,
  options: StackOptions,
  arrayType: FloatArrayType<A>,
  makeKernel: MakeKernel,
): StackResult<A> {
  return createStack(meta, weights, options, arrayType, makeKernel).forward(input, initial);
}

/** Stacked final states are (L*D, B, size): every layer must agree on each state's size. */
function checkSameSizes(
  meta: CellMeta,
  sizes: readonly number[],
  first: readonly number[] | undefined,
  layer: number,
  source: string,
): void {
  meta.states.forEach((s, i) => {
    if (first && first[i] !== sizes[i]) {
      const detail = `state '${s.name}' has size ${sizes[i]} in layer ${layer} but ${first[i]} in layer 0; a stack needs one size`;
      throw new DataError(source, null, detail);
    }
  });
}

function sizeOf(dim: Parameters<typeof evalSize>[0], sizes: Sizes): number {
  const n = evalSize(dim, sizes);
  if (n === null) throw new Error("internal: a state or output size is unknown after binding");
  return n;
}

export function sequenceDims(
  input: Tensor,
  batchFirst: boolean,
  source: string,
): { T: number; B: number; I: number } {
  if (input.shape.length !== 3) {
    const layout = batchFirst ? "(batch, time, features)" : "(time, batch, features)";
    throw new DataError(
      source,
      null,
      `expected a 3-dimensional input ${layout}, found shape ${formatShape(input.shape)}`,
    );
  }
  const [a, b, I] = input.shape as [number, number, number];
  if (input.data.length !== a * b * I) {
    const detail = `shape ${formatShape(input.shape)} needs ${a * b * I} values, found ${input.data.length}`;
    throw new DataError(source, null, detail);
  }
  return batchFirst ? { T: b, B: a, I } : { T: a, B: b, I };
}

function checkInputSize(
  meta: CellMeta,
  sizes: Sizes,
  inSize: number,
  layer: number,
  source: string,
  tensorName: (p: string) => string,
): void {
  const want = concreteShape(meta.input.shape, sizes)?.[0];
  if (want === inSize) return;
  const weight = tensorName(meta.params[0]?.name ?? "");
  const detail =
    layer === 0
      ? `has ${inSize} features per step, but the weights (${weight}) expect ${want}`
      : `layer ${layer} expects ${want} input features, but layer ${layer - 1} produces ${inSize}`;
  throw new DataError(source, null, detail);
}

/** An initial state must be (layers * directions, batch, size). */
export function checkInitialState(
  t: Tensor,
  name: string,
  count: number,
  B: number,
  size: number,
  options: StackOptions,
): void {
  const want = [count, B, size];
  if (t.shape.length === 3 && t.shape.every((d, i) => d === want[i])) return;
  const source = options.sources?.states?.[name] ?? "initial states";
  const detail = `expected shape (layers*directions, batch, size) = ${formatShape(want)}, found ${formatShape(t.shape)}`;
  throw new DataError(source, name, detail);
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
