// Where the CLI may write, checked before anything is computed or written: a bad output path fails
// at once with one line instead of after the work, and nothing blocks (opening a FIFO for writing
// waits for a reader). Only regular files in directories are outputs (node-io.ts checks the file
// itself, as it does again when writing); /proc, /sys and /dev never.
import { accessSync, constants, realpathSync, statSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { kindOf, reasonFor } from "../runtime/node-fs-reasons.js";
import { writeDestination } from "../runtime/node-io.js";
import { FileError } from "./file-error.js";

/** Kernel and device file systems: writing there is never what a user means, and may block. */
const SPECIAL_ROOTS: readonly string[] =
  process.platform === "win32" ? [] : ["/proc", "/sys", "/dev"];

/** An absolute path as the user would write it: relative to the working folder when inside it. */
function shown(path: string): string {
  const local = relative(process.cwd(), path);
  return local === "" ? "." : local.startsWith("..") || isAbsolute(local) ? path : local;
}

/** The stats of `path`, following symbolic links, or null when nothing is there. */
function statOrNull(path: string, label: string): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new FileError(`${label}: cannot use ${shown(path)}: ${reasonFor(e)}`);
  }
}

/** The nearest existing folder-or-file on the way up from `path` (itself included). */
function nearestExisting(path: string, label: string): { path: string; stats: Stats } {
  let at = resolve(path);
  for (;;) {
    const stats = statOrNull(at, label);
    if (stats) return { path: at, stats };
    const up = dirname(at);
    if (up === at) throw new FileError(`${label}: no existing folder on the way to it`);
    at = up;
  }
}

/** Refuses paths in /proc, /sys or /dev, also when reached through a symbolic link. */
function refuseSpecialPlace(path: string, label: string): void {
  const absolute = resolve(path);
  const existing = nearestExisting(path, label).path;
  let real = absolute;
  try {
    real = join(realpathSync(existing), relative(existing, absolute));
  } catch {
    // Unresolvable: the checks that follow report it.
  }
  for (const root of SPECIAL_ROOTS) {
    const inside = (p: string) => p === root || p.startsWith(`${root}${sep}`);
    if (inside(absolute) || inside(real))
      throw new FileError(`${label}: refusing to write in ${root}, a system file system`);
  }
}

/** Checks that `existing`, the output file itself or a directory on its way, can be written. */
function checkWritable(existing: string, label: string, folder: boolean): void {
  try {
    accessSync(existing, constants.W_OK);
  } catch (e) {
    const where = folder ? ` in ${shown(existing)}` : "";
    throw new FileError(`${label}: cannot write${where}: ${reasonFor(e)}`);
  }
}

/**
 * Checks that `dir` is, or can be created as, a writable directory outside the special places.
 * `label` starts each message: the option and the path as given (`--out out`).
 */
export function checkOutputDir(dir: string, label: string): void {
  checkFolder(dir, label, false);
}

/** checkOutputDir; `nameIt`: name the folder in messages even when it is `dir` itself. */
function checkFolder(dir: string, label: string, nameIt: boolean): void {
  refuseSpecialPlace(dir, label);
  const found = nearestExisting(dir, label);
  if (!found.stats.isDirectory()) {
    const what = !nameIt && found.path === resolve(dir) ? "" : `${shown(found.path)} `;
    throw new FileError(`${label}: ${what}is ${kindOf(found.stats)}, not a directory`);
  }
  checkWritable(found.path, label, true);
}

/** Checks that `path` names a regular file (or nothing yet) in a directory we may write. */
export function checkOutputFile(path: string, label: string): void {
  refuseSpecialPlace(path, label);
  writeDestination(path, (detail) => new FileError(`${label}: cannot write: ${detail}`));
  checkFolder(dirname(path), label, true);
}
