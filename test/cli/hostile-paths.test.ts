// Hostile paths given to `cellc`, as issue 10 found them: outputs that are files, directories,
// FIFOs or in /proc, folders that cannot be written, a write that fails half-way, and a `.cell`
// that is a FIFO, a directory or a device. Each ends at once (within 2 s where it could block)
// with one line `cellc: ...` on stderr, exit 1, no stack trace, and no partial or stray file.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_DIR } from "../helpers/cells.js";
import { STACK_FRAME, cellc, type CliResult } from "../helpers/cli.js";

const CASE = join(FIXTURE_DIR, "lstm_nobias");
const RUN = ["run", "cells/lstm.cell", "--weights", join(CASE, "weights.safetensors")].concat([
  "--input",
  join(CASE, "input.npy"),
]);
const COMPILE = ["compile", "cells/lstm.cell"];

const POSIX = process.platform !== "win32";
/** Root may write anywhere: as root, the permission tests run cellc as `nobody` instead. */
const ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

const dir = mkdtempSync(join(tmpdir(), "cellc-hostile-paths-"));
chmodSync(dir, 0o755); // open to `nobody`, for the permission tests

/** Whether others (`nobody`) may pass through every folder on the way to `path`. */
function openToOthers(path: string): boolean {
  for (let at = resolve(path); ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (dirname(at) === at) return true;
  }
}

/** Permission tests need a user without root's rights: us, or `nobody` reaching both folders. */
const PERMISSIONS = POSIX && (!ROOT || (openToOthers(dir) && openToOthers(process.cwd())));
let folders = 0;
/** A fresh empty folder for one test. */
const fresh = (): string => {
  const path = join(dir, `t${++folders}`);
  mkdirSync(path);
  return path;
};
const fifo = (path: string): string => {
  execFileSync("mkfifo", [path]);
  return path;
};

/** One line `cellc: <line>` on stderr, exit 1, nothing on stdout, no stack trace. */
function expectOneLine(r: CliResult, line: string | RegExp, code = 1): void {
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toContain("internal error");
  expect(r.stderr.split("\n"), r.stderr).toHaveLength(2);
  if (typeof line === "string") expect(r.stderr).toBe(`cellc: ${line}\n`);
  else expect(r.stderr).toMatch(line);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe("");
}

/** Like `cellc`, under a file size limit of `blocks` * 512 bytes: writes past it fail (EFBIG). */
function cellcWithFileLimit(args: readonly string[], blocks: number): CliResult {
  const start = performance.now();
  // The shell ignores SIGXFSZ, which the exec'd node inherits, so a write over the limit fails
  // with EFBIG instead of killing the process.
  const script = `trap '' XFSZ; ulimit -f ${blocks}; exec "$@"`;
  const r = spawnSync("sh", ["-c", script, "sh", process.execPath, "dist/cli/main.js", ...args], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - start };
}

/** `cellc` as a user without root's right to write anywhere (as `nobody` when we are root). */
function cellcUnprivileged(args: readonly string[]): CliResult {
  if (!ROOT) return cellc(args);
  const start = performance.now();
  const r = spawnSync(process.execPath, ["dist/cli/main.js", ...args], {
    encoding: "utf8",
    timeout: 30_000,
    uid: NOBODY,
    gid: NOBODY,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - start };
}

describe("cellc run --out", () => {
  it("refuses a DIR that is a file, and leaves the file alone", () => {
    const file = join(fresh(), "taken");
    writeFileSync(file, "mine");
    expectOneLine(cellc([...RUN, "--out", file]), `--out ${file}: is a file, not a directory`);
    expect(readdirSync(join(file, ".."))).toEqual(["taken"]);
  });

  it("refuses a DIR under a file, naming the file", () => {
    const file = join(fresh(), "taken");
    writeFileSync(file, "mine");
    const out = join(file, "sub");
    expectOneLine(
      cellc([...RUN, "--out", out]),
      `--out ${out}: ${file} is a file, not a directory`,
    );
  });

  it.runIf(POSIX)("refuses /proc/x at once, without writing", () => {
    const r = cellc([...RUN, "--out", "/proc/x"]);
    expectOneLine(r, "--out /proc/x: refusing to write in /proc, a system file system");
    expect(r.ms).toBeLessThan(2000);
  });

  it.runIf(POSIX).for(["/sys/cellc-out", "/dev/cellc-out", "/dev/null"])(
    "refuses %s, a system place",
    (out) => {
      const r = cellc([...RUN, "--out", out]);
      expectOneLine(r, /^cellc: --out \/(sys|dev)\S*: refusing to write in \/(sys|dev), /);
      expect(r.ms).toBeLessThan(2000);
    },
  );

  it.runIf(POSIX)("refuses a DIR that is a FIFO without blocking on it", () => {
    const path = fifo(join(fresh(), "pipe"));
    const r = cellc([...RUN, "--out", path]);
    expectOneLine(r, `--out ${path}: is a FIFO, not a directory`);
    expect(r.ms).toBeLessThan(2000);
  });

  it.runIf(POSIX)("refuses an output file that is a FIFO before writing any file", () => {
    const out = fresh();
    fifo(join(out, "h_n.npy"));
    const r = cellc([...RUN, "--out", out]);
    expectOneLine(r, `${join(out, "h_n.npy")}: cannot write: is a FIFO, not a regular file`);
    expect(r.ms).toBeLessThan(2000);
    expect(readdirSync(out)).toEqual(["h_n.npy"]);
  });

  it("refuses an output file that is a directory before writing any file", () => {
    const out = fresh();
    mkdirSync(join(out, "c_n.npy"));
    expectOneLine(
      cellc([...RUN, "--out", out]),
      `${join(out, "c_n.npy")}: cannot write: is a directory, not a regular file`,
    );
    expect(readdirSync(out)).toEqual(["c_n.npy"]);
  });

  it.runIf(PERMISSIONS)("refuses a folder it may not write, before computing", () => {
    const out = fresh();
    chmodSync(out, 0o555);
    try {
      expectOneLine(
        cellcUnprivileged([...RUN, "--out", join(out, "sub")]),
        `--out ${join(out, "sub")}: cannot write in ${out}: permission denied`,
      );
      expect(readdirSync(out)).toEqual([]);
    } finally {
      chmodSync(out, 0o755);
    }
  });

  it.runIf(POSIX)("leaves no partial or temporary file when a write fails half-way", () => {
    // output.npy of this case is 668 bytes: over a 512-byte limit, its write fails after 512.
    const out = fresh();
    const r = cellcWithFileLimit([...RUN, "--out", out], 1);
    expectOneLine(r, `${join(out, "output.npy")}: cannot write: file too large`);
    expect(readdirSync(out)).toEqual([]);
  });

  it("replaces existing outputs whole, and still writes into a new nested folder", () => {
    const out = join(fresh(), "a", "b");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "h_n.npy"), "stale");
    const r = cellc([...RUN, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["c_n.npy", "h_n.npy", "output.npy"]);
  });
});

describe("cellc compile -o and --out-dir", () => {
  it("refuses -o naming a directory", () => {
    const out = fresh();
    expectOneLine(
      cellc([...COMPILE, "-o", out]),
      `-o ${out}: cannot write: is a directory, not a regular file`,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it("refuses -o ending in a separator", () => {
    const out = `${join(fresh(), "new")}/`;
    expectOneLine(
      cellc([...COMPILE, "-o", out]),
      `-o ${out}: cannot write: names a directory, not a file`,
    );
  });

  it("refuses -o in a folder under a file", () => {
    const file = join(fresh(), "taken");
    writeFileSync(file, "mine");
    const out = join(file, "lstm.js");
    expectOneLine(cellc([...COMPILE, "-o", out]), `-o ${out}: ${file} is a file, not a directory`);
  });

  it("refuses --out-dir naming a file", () => {
    const file = join(fresh(), "taken");
    writeFileSync(file, "mine");
    expectOneLine(
      cellc([...COMPILE, "--out-dir", file]),
      `--out-dir ${file}: is a file, not a directory`,
    );
  });

  it.runIf(POSIX)("refuses -o naming a FIFO without blocking on it", () => {
    const path = fifo(join(fresh(), "lstm.js"));
    const r = cellc([...COMPILE, "-o", path]);
    expectOneLine(r, `-o ${path}: cannot write: is a FIFO, not a regular file`);
    expect(r.ms).toBeLessThan(2000);
  });

  it.runIf(POSIX)("refuses -o in /proc and /dev at once", () => {
    for (const out of ["/proc/self/lstm.js", "/dev/null"]) {
      const r = cellc([...COMPILE, "-o", out]);
      expectOneLine(r, /^cellc: -o \/(proc|dev)\S*: refusing to write in \/(proc|dev), /);
      expect(r.ms).toBeLessThan(2000);
    }
  });

  it.runIf(PERMISSIONS)("refuses -o in a folder it may not write", () => {
    const out = fresh();
    chmodSync(out, 0o555);
    try {
      const path = join(out, "lstm.js");
      expectOneLine(
        cellcUnprivileged([...COMPILE, "-o", path]),
        `-o ${path}: cannot write in ${out}: permission denied`,
      );
    } finally {
      chmodSync(out, 0o755);
    }
  });

  it.runIf(PERMISSIONS)("refuses to replace a file it may not write", () => {
    const out = fresh();
    const path = join(out, "lstm.js");
    writeFileSync(path, "kept");
    chmodSync(path, 0o444);
    const r = cellcUnprivileged([...COMPILE, "-o", path]);
    expectOneLine(r, `-o ${path}: cannot write: permission denied`);
    expect(readFileSync(path, "utf8")).toBe("kept");
    expect(readdirSync(out)).toEqual(["lstm.js"]);
  });

  it.runIf(POSIX)("leaves no partial or temporary file when a write fails half-way", () => {
    const out = fresh();
    const path = join(out, "lstm.js");
    const r = cellcWithFileLimit([...COMPILE, "-o", path], 1);
    expectOneLine(r, `${path}: cannot write: file too large`);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("cellc reading a .cell that is not a regular file", () => {
  it.runIf(POSIX)("refuses a FIFO without blocking on it", () => {
    const path = fifo(join(fresh(), "pipe.cell"));
    for (const verb of ["check", "ir", "compile"]) {
      const r = cellc([verb, path]);
      expectOneLine(r, `${path}: cannot read: is a FIFO, not a regular file`);
      expect(r.ms).toBeLessThan(2000);
    }
  });

  it.runIf(POSIX)("refuses a FIFO as run's CELL before reading anything else", () => {
    const path = fifo(join(fresh(), "pipe.cell"));
    const out = join(fresh(), "out");
    const r = cellc(["run", path, ...RUN.slice(2), "--out", out]);
    expectOneLine(r, `${path}: cannot read: is a FIFO, not a regular file`);
    expect(r.ms).toBeLessThan(2000);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a directory", () => {
    const path = fresh();
    expectOneLine(
      cellc(["check", path]),
      `${path}: cannot read: is a directory, not a regular file`,
    );
  });

  it.runIf(POSIX)("refuses a device such as /dev/zero at once", () => {
    const r = cellc(["check", "/dev/zero"]);
    expectOneLine(r, "/dev/zero: cannot read: is a character device, not a regular file");
    expect(r.ms).toBeLessThan(2000);
  });
});
