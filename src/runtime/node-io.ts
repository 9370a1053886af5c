// Node only: every file the package reads or writes goes through here. A read refuses all but a
// regular file before it could block (a FIFO, a terminal); a write stages its files under temporary
// names, renaming them into place once all are complete. Failures: DataErrors naming the path.
import { randomBytes } from "node:crypto";
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { DataError, isDataError } from "../shared/data-error.js";
import { type Fail, missingOnWrite, reasonFor, refuseSpecial } from "./node-fs-reasons.js";

/** One file to write: its path as given, and its bytes (or text, written as UTF-8). */
export interface FileContent {
  readonly path: string;
  readonly content: Uint8Array | string;
}

export interface WriteOptions {
  /** Create missing folders on the way (the CLI's `--out DIR`); else a missing folder fails. */
  readonly makeFolders?: boolean;
}

/** Where a write to a path goes (symbolic links followed), and the mode of the file it replaces. */
export interface Destination {
  readonly target: string;
  readonly mode: number | null;
}

interface Staged extends Destination {
  readonly path: string;
  readonly temp: string;
}

// Opening a FIFO without O_NONBLOCK waits for a writer; Windows has no such flag (nor FIFOs).
const O_NONBLOCK: number = constants.O_NONBLOCK ?? 0;

const failing =
  (path: string, verb: "read" | "write"): Fail =>
  (detail) =>
    new DataError(path, null, `cannot ${verb}: ${detail}`);

/** A file's bytes, after checking (without blocking) that it is a regular file. */
export function readRegularFile(path: string): Uint8Array {
  const fail = failing(path, "read");
  try {
    refuseSpecial(statSync(path), fail); // before opening: opening a device can have effects
    const fd = openSync(path, constants.O_RDONLY | O_NONBLOCK);
    try {
      refuseSpecial(fstatSync(fd), fail); // the path may have been replaced since the stat
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw isDataError(e) ? e : fail(reasonFor(e));
  }
}

/**
 * Checks, before opening anything, that `path` names a regular file we may write or nothing yet
 * (a missing folder on the way is left to the write to report), else throws `fail(reason)`.
 */
export function writeDestination(path: string, fail: Fail): Destination {
  if (path === "") throw fail("the path is empty");
  if (path.endsWith("/") || path.endsWith(sep)) throw fail("names a directory, not a file");
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { target: path, mode: null };
    throw fail(reasonFor(e));
  }
  refuseSpecial(stats, fail);
  try {
    // Renaming over a file needs only the folder's permission; keep the rule of writing in place.
    accessSync(path, constants.W_OK);
    return { target: realpathSync(path), mode: stats.mode & 0o7777 };
  } catch (e) {
    throw fail(reasonFor(e));
  }
}

/** Writes `content` to `path`: the file is complete or untouched (writeRegularFiles). */
export function writeRegularFile(path: string, content: Uint8Array | string): void {
  writeRegularFiles([{ path, content }]);
}

/**
 * Writes the files all or nothing: none is renamed into place before every one is complete. An
 * existing file keeps its permissions; a symbolic link to a file is followed.
 */
export function writeRegularFiles(files: readonly FileContent[], options: WriteOptions = {}): void {
  const staged: Staged[] = [];
  let current = "";
  let renamed = 0;
  try {
    for (const f of files) {
      current = f.path;
      stage(f, staged, options);
    }
    for (const s of staged) {
      current = s.path;
      renameSync(s.temp, s.target);
      renamed++;
    }
  } catch (e) {
    for (const s of staged.slice(renamed)) removeQuietly(s.temp);
    throw isDataError(e) ? e : failing(current, "write")(reasonFor(e, missingOnWrite(current)));
  }
}

/** Writes `file` under a temporary name next to its target; `staged` holds the name once made. */
function stage(file: FileContent, staged: Staged[], options: WriteOptions): void {
  const { target, mode } = writeDestination(file.path, failing(file.path, "write"));
  if (options.makeFolders === true) mkdirSync(dirname(target), { recursive: true });
  const temp = tempName(target);
  // "wx": always a new file, never one planted under the temporary name (a FIFO, a link).
  const fd = openSync(temp, "wx", mode ?? 0o666);
  staged.push({ path: file.path, target, mode, temp }); // ours from here on: removed on failure
  try {
    writeFileSync(fd, file.content);
  } finally {
    closeSync(fd);
  }
  if (mode !== null) chmodSync(temp, mode); // the umask must not narrow an existing file's mode
}

/** A fresh hidden name next to `target`, short enough for any file system's name limit. */
function tempName(target: string): string {
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  return join(dirname(target), `.${basename(target).slice(0, 100)}.${tag}.tmp`);
}

/** Removes a temporary file; a failure here must not hide the one being reported. */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or its folder became unwritable: nothing more can be done here.
  }
}
