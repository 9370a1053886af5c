// The stack's vocabulary: what a layer kernel is handed, the options and results of a forward,
// and the Stack a module's `create` returns. stack.ts runs it; stack-checks.ts guards its inputs.
// Buffers are seq-first, (time, batch, features), whatever layout the caller uses.
import type { Sizes } from "./bind-sizes.js";
import type { FloatArray, Tensor } from "../shared/tensor.js";

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
  /**
   * Per sample, its valid steps (1 to `steps`), or null when every sample has them all. A sample's
   * states do not change at steps t >= lengths[b]: forward they keep their last valid values,
   * in reverse their initial ones until the sample's own last step. Outputs there are the stack's.
   */
  readonly lengths: Int32Array | null;
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
  /**
   * Names for error messages: where the weights, the input, each initial state and the sequence
   * lengths came from.
   */
  readonly sources?: {
    readonly weights?: string;
    readonly input?: string;
    readonly states?: Readonly<Record<string, string>>;
    readonly lengths?: string;
  };
}

/** What a forward takes besides the input and the initial states. */
export interface ForwardOptions {
  /**
   * Per sample, its number of valid steps, from 1 to T (as PyTorch's pack_padded_sequence and
   * ONNX's sequence_lens): outputs past it are zeros, final states are those of its last valid
   * step, and the reverse direction starts there. Absent: every sample has all T steps.
   */
  readonly lengths?: Int32Array | readonly number[];
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
    /** Initial states by name, as the caller gave them (checked: own keys naming states). */
    initial?: unknown,
    /** ForwardOptions, as the caller gave them (checked). */
    options?: unknown,
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
