// What a failure means to the user: the exit status and the one line `cellc` prints for it.
// 2: usage; 1: the user's data or files, the file system, or the machine's memory; 70 only for a
// bug of ours ("internal error", with the stack under CELLC_DEBUG=1).
import { isDataError } from "../shared/data-error.js";
import { printable } from "../shared/printable.js";
import { FileError, isSystemError } from "./file-error.js";
import { UsageError } from "./usage.js";

export interface Failure {
  readonly status: number;
  /** One line, without the `cellc: ` prefix and the newline. */
  readonly message: string;
}

const USAGE_STATUS = 2;
const DATA_STATUS = 1;
const INTERNAL_STATUS = 70;

/**
 * V8's and WebAssembly's words for an allocation that did not fit: sizes that come from the
 * user's files (the runtime refuses most of them first, with the tensor's name). A stack overflow
 * ("Maximum call stack size exceeded") is not among them: that one is a bug of ours.
 */
const ALLOCATION_FAILURE =
  /Invalid typed array length|Array buffer allocation failed|Invalid array buffer length|Invalid string length|WebAssembly\.Memory|Out of memory|could not allocate/i;

export function isAllocationFailure(e: unknown): e is Error {
  return e instanceof Error && e.name === "RangeError" && ALLOCATION_FAILURE.test(e.message);
}

export function failureOf(e: unknown, debug: boolean): Failure {
  if (e instanceof UsageError) return { status: USAGE_STATUS, message: e.message };
  if (isDataError(e) || e instanceof FileError) return { status: DATA_STATUS, message: e.message };
  if (isAllocationFailure(e))
    return { status: DATA_STATUS, message: `out of memory: ${printable(e.message)}` };
  // A file-system failure no verb foresaw: the machine's state, not a bug (Node names the path).
  if (isSystemError(e)) return { status: DATA_STATUS, message: printable(e.message) };
  const error = e instanceof Error ? e : new Error(String(e));
  const detail = debug ? `\n${error.stack ?? ""}` : " (set CELLC_DEBUG=1 for details)";
  return {
    status: INTERNAL_STATUS,
    message: `internal error: ${printable(error.message)}${detail}`,
  };
}
