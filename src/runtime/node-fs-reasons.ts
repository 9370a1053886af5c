// Node only: the words for why a file cannot be used, for the runtime's reads and writes
// (node-io.ts) and the CLI's output checks alike: errno codes in plain words (ENOENT's depend on
// reading or writing), and what a path that is not a regular file names instead ("a FIFO").
import { statSync, type Stats } from "node:fs";
import { dirname } from "node:path";

/** Makes the error to throw for a reason in words: a DataError, or the CLI's FileError. */
export type Fail = (detail: string) => Error;

const REASONS: ReadonlyMap<string, string> = new Map([
  ["ENOENT", "no such file"],
  ["EACCES", "permission denied"],
  ["EPERM", "operation not permitted"],
  ["EISDIR", "is a directory, not a regular file"],
  ["ENOTDIR", "a part of the path is not a directory"],
  ["EEXIST", "already exists"],
  ["ENOSPC", "no space left on the device"],
  ["EDQUOT", "disk quota exceeded"],
  ["EFBIG", "file too large"],
  ["ERR_FS_FILE_TOO_LARGE", "file too large (over 2 GiB)"],
  ["EROFS", "read-only file system"],
  ["ENAMETOOLONG", "name too long"],
  ["ELOOP", "too many symbolic links"],
  ["EMFILE", "too many open files"],
  ["ENFILE", "too many open files"],
  ["EIO", "input/output error"],
  ["EBUSY", "resource busy"],
  ["ENXIO", "no such device"],
  ["ENODEV", "no such device"],
]);

/**
 * Why a file-system call failed, in words. `missing` is what ENOENT means here: a missing file
 * for a read, a missing or closed directory for a write.
 */
export function reasonFor(e: unknown, missing = "no such file"): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return missing;
  const known = typeof code === "string" ? REASONS.get(code) : undefined;
  if (known !== undefined) return known;
  // "EXDEV: cross-device link not permitted, rename 'a' -> 'b'": keep the words, not the paths.
  const message = e instanceof Error ? e.message : String(e);
  return (message.split("\n")[0] ?? "").replace(/, \w+ '.*$/, "");
}

/** What ENOENT means for a write: a missing directory, or one that takes no new files (/proc). */
export function missingOnWrite(path: string): string {
  try {
    if (statSync(dirname(path)).isDirectory()) return "its directory does not take new files";
  } catch {
    // The directory is missing (or unreachable): say so.
  }
  return "no such directory";
}

/** What a file is, for messages about one that is not what was wanted ("a FIFO"). */
export function kindOf(s: Stats): string {
  if (s.isFile()) return "a file";
  if (s.isDirectory()) return "a directory";
  if (s.isFIFO()) return "a FIFO";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "a special file";
}

/** Throws unless `stats` is a regular file, saying what it is instead. */
export function refuseSpecial(stats: Stats, fail: Fail): void {
  if (!stats.isFile()) throw fail(`is ${kindOf(stats)}, not a regular file`);
}
