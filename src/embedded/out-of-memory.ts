// Allocation failures (a typed array or WebAssembly memory larger than the engine will give) mean
// the caller's data is too large for the machine, not a bug: they become DataErrors naming the
// data. Other errors, a stack overflow among them, pass through untouched.
import { DataError } from "../shared/data-error.js";

const ALLOCATION_FAILED =
  /Array buffer allocation failed|Invalid typed array length|Invalid array buffer length|could not allocate memory|above the upper bound|Out of memory/i;

export function withMemory<R>(source: string, what: string, run: () => R): R {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof RangeError) || !ALLOCATION_FAILED.test(e.message)) throw e;
    throw new DataError(source, null, `out of memory ${what}: ${e.message}`);
  }
}
