// The CLI's error for files and folders it refuses by its own policy (an output path in /proc, a
// shipped cell that does not exist): exit 1, like a DataError. Messages quote paths the user gave,
// so they show control characters escaped. The words for errno codes are in node-fs-reasons.ts.
import { printable } from "../shared/printable.js";

export class FileError extends Error {
  override readonly name = "FileError";

  constructor(message: string) {
    super(printable(message));
  }
}

/** Whether `e` is a Node system error (`EACCES: permission denied, open 'x'`). */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return e instanceof Error && typeof code === "string" && /^E[A-Z0-9]+$/.test(code);
}
