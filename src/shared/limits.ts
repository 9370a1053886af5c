// The sizes cellc accepts at run time, each a documented constant (README "Limits and errors"):
// beyond them, input is refused with a DataError naming the tensor, before anything is allocated.
// They sit far above any real model and far below what would hang or exhaust the machine.

/** Largest length of one dimension of a tensor (and of the time and batch axes). */
export const MAX_DIMENSION = 2 ** 31 - 1;

/** Most elements in one tensor or one allocation: 2^30 floats, 4 GiB as float32. */
export const MAX_ELEMENTS = 2 ** 30;

/** Most dimensions a tensor file may declare. */
export const MAX_RANK = 32;

/** Deepest nesting of arrays and objects in a JSON header (safetensors) or case.json: both need 3. */
export const MAX_JSON_DEPTH = 64;

/** Largest safetensors JSON header, in bytes: the reference implementation's limit. */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Most containers a .pt file's pickle may hold open at once (its MARKs): a state_dict needs 3, a
 * checkpoint with an optimizer about 6. The unpickler never recurses, so this only bounds memory.
 */
export const MAX_PICKLE_DEPTH = 64;

/** Most values on a .pt pickle's stack, and most memo entries: a state_dict uses ~15 per tensor. */
export const MAX_PICKLE_ITEMS = 2 ** 22;

/** Most layers a stack may have (`weight_ih_l{k}` with k below it). */
export const MAX_LAYERS = 1024;

/** Most threads `create(weights, { threads })` accepts. */
export const MAX_THREADS = 64;

/** The number of elements of `shape`, or null if a dimension or the product is over the limits. */
export function checkedSize(shape: readonly number[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > MAX_DIMENSION) return null;
    n *= d;
  }
  return n <= MAX_ELEMENTS ? n : null;
}
