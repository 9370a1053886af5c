// The one error type for bad data files and bad tensors: the message always names the file (or the
// argument the data came from) and, where there is one, the tensor, so the CLI can print it as is.
// Names and details may quote a file's bytes, so the message shows control characters escaped.
import { printable } from "./printable.js";

/**
 * Whether `e` is a DataError: from this module, or from the copy of the runtime that every
 * generated kernel module embeds (a different class with the same name and shape).
 */
export function isDataError(e: unknown): e is DataError {
  return e instanceof Error && e.name === "DataError";
}

export class DataError extends Error {
  override readonly name = "DataError";

  constructor(
    readonly source: string,
    readonly tensorName: string | null,
    readonly detail: string,
  ) {
    const where = tensorName === null ? "" : `tensor '${tensorName}': `;
    super(printable(`${source}: ${where}${detail}`));
  }
}
