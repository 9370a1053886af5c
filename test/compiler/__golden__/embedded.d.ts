export interface SizeTerm {
  readonly name: string;
  readonly coeff: number;
}

/** A size such as 4*H + 1: constant + sum of coeff * name. */
export interface Size {
  readonly constant: number;
  readonly terms: readonly SizeTerm[];
}

export type Shape = readonly Size[];

export interface ValueMeta {
  readonly name: string;
  readonly shape: Shape;
}

export interface ParamMeta extends ValueMeta {
  /** Absent weights are filled with this value; null means the weight is required. */
  readonly fill: number | null;
}

export interface SlotMeta {
  readonly slot: string;
  readonly activation: string;
  readonly args: readonly number[];
}

export interface CellMeta {
  readonly name: string;
  readonly sizes: readonly string[];
  readonly input: ValueMeta;
  readonly states: readonly ValueMeta[];
  readonly params: readonly ParamMeta[];
  /** The per-step output; its size is what the next layer of a stack receives. */
  readonly output: ValueMeta;
  readonly slots: readonly SlotMeta[];
}

export type FloatArray = Float32Array | Float64Array;

export interface Tensor<A extends FloatArray = FloatArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

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
