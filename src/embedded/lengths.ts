// Sequence lengths (ForwardOptions.lengths, as PyTorch's packed sequences): the caller's forward
// options checked into one Int32Array, and the zeros a stack writes past each sample's length. The
// kernels hold a sample's states where it has no step (LayerRun.lengths), computing every row.
import { DataError } from "../shared/data-error.js";
import type { FloatArray } from "../shared/tensor.js";

const OPTIONS = "forward options";
const KNOWN: readonly string[] = ["lengths"];

/** What a value is, for a message: `Float32Array`, `string`, `null`. */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  return Array.isArray(v) ? "Array" : Object.prototype.toString.call(v).slice(8, -1).slice(0, 40);
}

/** A length as a message shows it: numbers as they are, strings quoted, objects by their kind. */
function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.slice(0, 20));
  return typeof v === "object" && v !== null ? kindOf(v) : String(v);
}

/**
 * The lengths of a forward of T steps and B samples from the caller's `options` (absent, or an
 * object with own keys among KNOWN), each an integer from 1 to T; null when none are given or
 * every sample has all T steps. A DataError names `source` (the file or argument) otherwise.
 */
export function forwardLengths(
  options: unknown,
  T: number,
  B: number,
  source: string,
): Int32Array | null {
  if (options === undefined || options === null) return null;
  if (typeof options !== "object" || Array.isArray(options)) {
    const detail = `expected an object such as { lengths }, found ${kindOf(options)}`;
    throw new DataError(OPTIONS, null, detail);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      const detail = `unknown option '${key.slice(0, 100)}' (known: ${KNOWN.join(", ")})`;
      throw new DataError(OPTIONS, null, detail);
    }
  }
  const given = Object.hasOwn(options, "lengths")
    ? (options as { lengths?: unknown }).lengths
    : undefined;
  return given === undefined ? null : checkLengths(given, T, B, source);
}

/** `given` as B lengths from 1 to T, copied (later changes to the caller's array do not count). */
function checkLengths(given: unknown, T: number, B: number, source: string): Int32Array | null {
  if (!(given instanceof Int32Array) && !Array.isArray(given)) {
    const detail = `expected an Int32Array or an array of integers, one per sample, found ${kindOf(given)}`;
    throw new DataError(source, null, detail);
  }
  const values = given as ArrayLike<unknown>;
  if (values.length !== B) {
    const detail = `expected ${B} lengths, one per sample of the batch, found ${values.length}`;
    throw new DataError(source, null, detail);
  }
  const lengths = new Int32Array(B);
  let full = true;
  for (let b = 0; b < B; b++) {
    const v = values[b];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > T) {
      const detail = `sample ${b} has length ${shown(v)}`;
      const want = T > 0 ? `expected an integer from 1 to ${T}, the input's steps` : null;
      throw new DataError(
        source,
        null,
        want ? `${detail}: ${want}` : `${detail}, but the input has no steps`,
      );
    }
    lengths[b] = v;
    full &&= v === T;
  }
  return full ? null : lengths;
}

/** Zeros the features of a seq-first (T, B, F) sequence at each sample's steps past its length. */
export function zeroPadding(
  ys: FloatArray,
  T: number,
  B: number,
  F: number,
  lengths: Int32Array,
): void {
  for (let b = 0; b < B; b++) {
    for (let t = lengths[b]!; t < T; t++) ys.fill(0, (t * B + b) * F, (t * B + b + 1) * F);
  }
}
