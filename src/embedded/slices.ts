// A piece of a batch, for the thread pool: where its tensors sit in the shared floats (its
// lengths, when given, as Int32 words in the same memory), how the rows of whole tensors move in
// and out, and running the stack on it.
import type { Stack, StackShape } from "./stack-types.js";
import type { FloatArray } from "../shared/tensor.js";

/** The most pieces a forward is cut into: a few per thread, so one whose core is busy does less. */
export function maxPieces(threads: number): number {
  return 4 * threads;
}

/**
 * Below this many multiply-adds per piece (estimated as T * rows * F * (I + F)), handing work
 * to another thread costs more than it saves: about 50 microseconds at the kernels' speed.
 */
const MIN_PIECE_WORK = 1 << 18;

/** Batch rows per piece for a forward of (T, B, I) inputs and F output features. */
export function planPieces(T: number, B: number, I: number, F: number, threads: number): number[] {
  return splitRows(B, threads, maxPieces(threads), T * B * F * (I + F));
}

/**
 * Batch rows per piece, as even as possible: four rows or more (the kernels' row block) when
 * there are enough for a piece per thread, never fewer than two (a kernel computes a single row,
 * a batch of one, differently, and results must not depend on the split).
 */
export function splitRows(B: number, threads: number, maxPieces: number, work: number): number[] {
  const byWork = Math.max(1, Math.floor(work / MIN_PIECE_WORK));
  const byRows = Math.max(
    Math.min(threads, Math.floor(B / 2)),
    Math.min(maxPieces, Math.floor(B / 4)),
  );
  const pieces = Math.max(1, Math.min(byRows, byWork));
  const edge = (k: number) => Math.floor((k * B) / pieces);
  return Array.from({ length: pieces }, (_, k) => edge(k + 1) - edge(k));
}

export interface PieceLayout {
  readonly input: number;
  readonly states: readonly number[];
  readonly output: number;
  /** Its `rows` sequence lengths, read only when the forward has lengths. */
  readonly lengths: number;
  readonly end: number;
}

/** A piece's tensors, seq-first, from float `base` on: input, each state, output, lengths. */
export function pieceLayout(
  base: number,
  T: number,
  rows: number,
  I: number,
  shape: StackShape,
): PieceLayout {
  let at = base;
  const input = at;
  at += T * rows * I;
  const count = shape.layers * shape.directions;
  const states = shape.stateSizes.map((size) => {
    const offset = at;
    at += count * rows * size;
    return offset;
  });
  const output = at;
  at += T * rows * shape.outFeatures;
  const lengths = at;
  at += rows;
  return { input, states, output, lengths, end: at };
}

/** A piece's dimensions, and whether its region holds sequence lengths. */
export interface PieceDims {
  readonly T: number;
  readonly rows: number;
  readonly I: number;
  readonly withLengths: boolean;
}

/** Runs the stack on one piece in place: initial states are read, final ones written back. */
export function runPiece(
  stack: Stack<Float32Array>,
  floats: Float32Array,
  layout: PieceLayout,
  { T, rows, I, withLengths }: PieceDims,
  shape: StackShape,
): void {
  const count = shape.layers * shape.directions;
  const input = {
    data: floats.subarray(layout.input, layout.input + T * rows * I),
    shape: [T, rows, I],
  };
  const output = floats.subarray(layout.output, layout.output + T * rows * shape.outFeatures);
  const states = shape.stateSizes.map((size, i) =>
    floats.subarray(layout.states[i]!, layout.states[i]! + count * rows * size),
  );
  const lengths = withLengths
    ? new Int32Array(floats.buffer, floats.byteOffset + 4 * layout.lengths, rows)
    : undefined;
  stack.forward(input, {}, lengths ? { lengths } : {}, { output, states });
}

/**
 * Copies rows [b0, b0 + rows) between a whole tensor and a piece's region (seq-first): a
 * sequence (T, B, F), or (B, T, F) when batch-first, or a state (count, B, size).
 */
export class RowCopier {
  constructor(
    private readonly floats: Float32Array,
    private readonly T: number,
    private readonly B: number,
    private readonly batchFirst: boolean,
  ) {}

  sequence(whole: FloatArray, at: number, b0: number, rows: number, F: number, into: boolean) {
    const { T, B } = this;
    for (let t = 0; t < T; t++) {
      if (this.batchFirst) {
        for (let b = 0; b < rows; b++) {
          this.move(whole, ((b0 + b) * T + t) * F, at + (t * rows + b) * F, F, into);
        }
      } else {
        this.move(whole, (t * B + b0) * F, at + t * rows * F, rows * F, into);
      }
    }
  }

  state(whole: FloatArray, at: number, b0: number, rows: number, size: number, into: boolean) {
    const count = whole.length / (this.B * size);
    for (let l = 0; l < count; l++) {
      this.move(whole, (l * this.B + b0) * size, at + l * rows * size, rows * size, into);
    }
  }

  /** n floats: whole[w..] -> region[r..] when `into`, back otherwise. */
  private move(whole: FloatArray, w: number, r: number, n: number, into: boolean): void {
    if (into) this.floats.set(whole.subarray(w, w + n), r);
    else whole.set(this.floats.subarray(r, r + n), w);
  }
}
