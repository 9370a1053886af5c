// Runs a cell over a sequence with PyTorch's semantics for a whole stack: layers and directions
// from the weight names, layer k>0 fed the previous layer's D*H_out outputs, the reverse
// direction run from the last step to the first with outputs aligned to input time, initial
// states (L*D, B, size) defaulting to zeros, seq-first or batch-first input.
import { type Sizes, bindSizes, concreteShape } from "./bind-sizes.js";
import { DataError } from "./data-error.js";
import { splitLayers, tensorName } from "./layers.js";
import type { CellMeta } from "./meta.js";
import { evalSize } from "./size.js";
import { type FloatArray, type Tensor, formatShape } from "./tensor.js";

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
  readonly batchFirst?: boolean;
  /** Labels for error messages: where the weights, the input and each initial state came from. */
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

export function runStack<A extends FloatArray>(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
  input: Tensor,
  initial: Readonly<Record<string, Tensor>>,
  options: StackOptions,
  alloc: (n: number) => A,
  makeKernel: (sizes: Sizes, layerWeights: ReadonlyMap<string, Tensor>) => LayerKernel,
): StackResult<A> {
  const weightSource = options.sources?.weights ?? "weights";
  const inputSource = options.sources?.input ?? "input";
  const stack = splitLayers(meta, weights, weightSource);
  const layers = stack.layers;
  const D = layers[0]!.length;
  const L = layers.length;
  const { T, B, I } = sequenceDims(input, options.batchFirst ?? false, inputSource);

  let xs: FloatArray = toSeqFirst(input.data, T, B, I, options.batchFirst ?? false, alloc);
  let inSize = I;
  const finals = new Map<string, A[]>(meta.states.map((s) => [s.name, []]));
  const stateSizes = new Map<string, number>();
  for (let k = 0; k < L; k++) {
    const bound = layers[k]!.map((w, d) => {
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
      return { sizes, kernel: makeKernel(sizes, w) };
    });
    const outSize = sizeOf(meta.output.shape[0]!, bound[0]!.sizes);
    const ys = alloc(T * B * D * outSize);
    bound.forEach(({ sizes, kernel }, d) => {
      const states = meta.states.map((s) => {
        const size = sizeOf(s.shape[0]!, sizes);
        stateSizes.set(s.name, size);
        return initialState(initial[s.name], s.name, k * D + d, L * D, B, size, options, alloc);
      });
      kernel({
        xs,
        inSize,
        states,
        ys,
        outStride: D * outSize,
        outOffset: d * outSize,
        steps: T,
        batch: B,
        reverse: d === 1,
      });
      meta.states.forEach((s, i) => finals.get(s.name)!.push(states[i] as A));
    });
    xs = ys;
    inSize = D * outSize;
  }
  const output = {
    data: fromSeqFirst(xs, T, B, inSize, options.batchFirst ?? false, alloc),
    shape: options.batchFirst ? [B, T, inSize] : [T, B, inSize],
  };
  const states: Record<string, Tensor<A>> = {};
  for (const s of meta.states) {
    const size = stateSizes.get(s.name)!;
    const data = alloc(L * D * B * size);
    finals.get(s.name)!.forEach((part, i) => data.set(part, i * B * size));
    states[s.name] = { data, shape: [L * D, B, size] };
  }
  return { output, states };
}

function sizeOf(dim: Parameters<typeof evalSize>[0], sizes: Sizes): number {
  const n = evalSize(dim, sizes);
  if (n === null) throw new Error("internal: a state or output size is unknown after binding");
  return n;
}

function sequenceDims(
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

function initialState<A extends FloatArray>(
  t: Tensor | undefined,
  name: string,
  index: number,
  count: number,
  B: number,
  size: number,
  options: StackOptions,
  alloc: (n: number) => A,
): A {
  const out = alloc(B * size);
  if (!t) return out;
  const want = [count, B, size];
  if (t.shape.length !== 3 || t.shape.some((d, i) => d !== want[i])) {
    const source = options.sources?.states?.[name] ?? "initial states";
    throw new DataError(
      source,
      name,
      `expected shape (layers*directions, batch, size) = ${formatShape(want)}, found ${formatShape(t.shape)}`,
    );
  }
  out.set(t.data.subarray(index * B * size, (index + 1) * B * size));
  return out;
}

function toSeqFirst<A extends FloatArray>(
  data: FloatArray,
  T: number,
  B: number,
  F: number,
  batchFirst: boolean,
  alloc: (n: number) => A,
): A {
  const out = alloc(T * B * F);
  if (!batchFirst) {
    out.set(data);
    return out;
  }
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      out.set(data.subarray((b * T + t) * F, (b * T + t + 1) * F), (t * B + b) * F);
  return out;
}

function fromSeqFirst<A extends FloatArray>(
  data: FloatArray,
  T: number,
  B: number,
  F: number,
  batchFirst: boolean,
  alloc: (n: number) => A,
): A {
  const out = alloc(T * B * F);
  if (!batchFirst) {
    out.set(data);
    return out;
  }
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      out.set(data.subarray((t * B + b) * F, (t * B + b + 1) * F), (b * T + t) * F);
  return out;
}
