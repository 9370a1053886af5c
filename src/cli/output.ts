// What `cellc` does when its standard output or error cannot be written. A reader that went away
// (`cellc ir x.cell | head`) ends the process at once and quietly, as it ends `cat` or `grep`; any
// other write failure (a full disk behind `> file`) is one line and exit 1, never a stack trace.

/**
 * The status for a closed output: 128 + SIGPIPE (13), what a shell reports for `cat`, `seq` or
 * `git log` when `head` stops reading and the kernel kills them with SIGPIPE. Node ignores SIGPIPE
 * and sees EPIPE instead, so we exit with the same number: under `set -o pipefail` cellc then
 * reads like its neighbours, and the status does not claim the whole output was delivered (0
 * would). It stays apart from 1 (bad input), 2 (usage) and 70 (internal error).
 */
const CLOSED_OUTPUT_STATUS = 141;

// EPIPE: the reading end of a pipe is closed; ECONNRESET: the same on a socket; the ERR_STREAM_*
// codes: a write after Node itself has torn the stream down after one of those.
const CLOSED_CODES: ReadonlySet<string> = new Set([
  "EPIPE",
  "ECONNRESET",
  "ERR_STREAM_DESTROYED",
  "ERR_STREAM_WRITE_AFTER_END",
]);

/** True for the errors a stream reports when nobody reads it any more. */
function isClosedOutput(e: unknown): boolean {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === "string" && CLOSED_CODES.has(code);
}

function onWriteError(e: Error, stream: "stdout" | "stderr"): never {
  // Stop at once, as SIGPIPE would: the rest of the output has no reader, and saying so on stderr
  // would only clutter the terminal of a user who piped into `head` on purpose.
  if (isClosedOutput(e)) process.exit(CLOSED_OUTPUT_STATUS);
  // A broken stderr cannot carry its own message; a broken stdout can still be reported there.
  if (stream === "stdout") process.stderr.write(`cellc: cannot write the output: ${e.message}\n`);
  process.exit(1);
}

/**
 * Installs the handlers, once, before any verb writes. Node reports failed writes to stdout and
 * stderr as 'error' events, after the write call has returned; without a listener it crashes with
 * a stack trace, and with one on each stream no verb needs code of its own.
 */
export function handleOutputErrors(): void {
  process.stdout.on("error", (e) => onWriteError(e, "stdout"));
  process.stderr.on("error", (e) => onWriteError(e, "stderr"));
}
