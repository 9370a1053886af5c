// Writes the output files of one CLI command all or nothing: every path is first checked against
// the CLI's output policy (output-paths.ts: a regular file or nothing, outside /proc, /sys and
// /dev), then node-io.ts stages them all and renames them into place, creating missing folders.
import { type FileContent, writeRegularFiles } from "../runtime/node-io.js";
import { checkOutputFile } from "./output-paths.js";

/** Writes the files (see the top of this file); a failure is a DataError naming the file. */
export function writeFiles(files: readonly FileContent[]): void {
  for (const f of files) checkOutputFile(f.path, f.path);
  writeRegularFiles(files, { makeFolders: true });
}
