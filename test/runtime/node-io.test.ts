// Reading and writing tensor files on disk: special files (FIFOs, devices, directories) are refused
// before anything blocks, a failed write leaves nothing behind, and every failure is one line
// naming the path as given.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  readNpy,
  readSafetensors,
  writeNpy,
  writeSafetensors,
} from "../../src/runtime/node-files.js";
import { serializeNpy } from "../../src/runtime/npy.js";
import { tensor } from "../../src/shared/tensor.js";
import { expectRefusal } from "./data-file-bytes.js";

const t = tensor(Float32Array.from([1, 2, 3]), [3]);
const POSIX = process.platform !== "win32";
const ROOT = process.getuid?.() === 0; // permissions do not stop root
/** A fresh folder; open to others, since as root the permission tests run as `nobody`. */
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "cellc-io-"));
  chmodSync(dir, 0o755);
  return dir;
};

/**
 * The message of writeNpy(path, t) as a user whose permissions count: ourselves, or, as root,
 * `nobody` in a child process running the built runtime (`npm test` builds it first).
 */
function writeNpyUnprivileged(path: string): string {
  if (!ROOT) {
    try {
      writeNpy(path, t);
      return "written";
    } catch (e) {
      return (e as Error).message;
    }
  }
  const runtime = pathToFileURL(resolve("dist/runtime/node.js")).href;
  const script = `const { writeNpy, tensor } = await import(${JSON.stringify(runtime)});
try { writeNpy(process.argv[1], tensor(Float32Array.from([1, 2, 3]), [3])); console.log("written"); }
catch (e) { console.log(e.message); }`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, path], {
    encoding: "utf8",
    uid: 65534,
    gid: 65534,
    timeout: 20_000,
  });
  expect(r.stderr).toBe("");
  return r.stdout.trim();
}

/** A named pipe in a fresh folder (no reader or writer ever opens its other end). */
function fifo(): string {
  const path = join(tempDir(), "pipe.npy");
  execFileSync("mkfifo", [path]);
  return path;
}

describe.runIf(POSIX)("reading special files", () => {
  it("refuses a FIFO at once when it has no writer", () => {
    const path = fifo();
    const words = ["cannot read: is a FIFO, not a regular file"];
    expectRefusal(() => readNpy(path), path, words);
    expectRefusal(() => readSafetensors(path), path, words);
  });

  it("refuses a character device when given /dev/null", () => {
    const words = ["cannot read: is a character device, not a regular file"];
    expectRefusal(() => readNpy("/dev/null"), "/dev/null", words);
  });

  it("refuses a directory when it is given as a file", () => {
    const dir = tempDir();
    expectRefusal(() => readNpy(dir), dir, ["cannot read: is a directory, not a regular file"]);
  });

  it("names the path when a part of it is a file", () => {
    const file = join(tempDir(), "f");
    writeFileSync(file, "x");
    const path = join(file, "x.npy");
    expectRefusal(() => readNpy(path), path, [
      "cannot read: a part of the path is not a directory",
    ]);
  });

  it("reads a regular file through a symbolic link", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "real.npy"), serializeNpy(t));
    symlinkSync(join(dir, "real.npy"), join(dir, "link.npy"));
    expect(Array.from(readNpy(join(dir, "link.npy")).data)).toEqual([1, 2, 3]);
  });
});

describe.runIf(POSIX)("writing to special files", () => {
  it("refuses a FIFO before opening it when it is the destination", () => {
    const path = fifo();
    expectRefusal(() => writeNpy(path, t), path, ["cannot write: is a FIFO, not a regular file"]);
    expect(statSync(path).isFIFO()).toBe(true);
    expect(readdirSync(join(path, ".."))).toEqual(["pipe.npy"]);
  });

  it("refuses a character device when it is the destination", () => {
    const words = ["cannot write: is a character device"];
    expectRefusal(() => writeSafetensors("/dev/null", { t }), "/dev/null", words);
  });

  it("refuses a directory when it is the destination", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "d.npy"));
    const path = join(dir, "d.npy");
    expectRefusal(() => writeNpy(path, t), path, [
      "cannot write: is a directory, not a regular file",
    ]);
  });
});

describe("failed writes", () => {
  it("names the path when its folder does not exist", () => {
    const path = join(tempDir(), "missing", "x.npy");
    expectRefusal(() => writeNpy(path, t), path, ["cannot write: no such directory"]);
  });

  it("refuses a path when it ends in a separator or is empty", () => {
    const path = join(tempDir(), "new") + "/";
    expectRefusal(() => writeNpy(path, t), path, ["cannot write: names a directory, not a file"]);
    expect(() => writeNpy("", t)).toThrow(/^: cannot write: the path is empty$/);
  });

  it.runIf(process.platform === "linux")("says why when the directory takes no new files", () => {
    const words = ["cannot write: its directory does not take new files"];
    expectRefusal(() => writeNpy("/proc/x.npy", t), "/proc/x.npy", words);
  });

  it("names the path when a part of it is a file", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "f"), "x");
    const path = join(dir, "f", "x.npy");
    const words = ["cannot write: a part of the path is not a directory"];
    expectRefusal(() => writeNpy(path, t), path, words);
  });

  it.runIf(POSIX)("leaves no file when the folder is not writable", () => {
    const dir = tempDir();
    chmodSync(dir, 0o555);
    const path = join(dir, "x.npy");
    expect(writeNpyUnprivileged(path)).toBe(`${path}: cannot write: permission denied`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.runIf(POSIX)("keeps a read-only file when asked to overwrite it", () => {
    const dir = tempDir();
    const path = join(dir, "x.npy");
    writeFileSync(path, "old", { mode: 0o444 });
    expect(writeNpyUnprivileged(path)).toBe(`${path}: cannot write: permission denied`);
    expect(readFileSync(path, "utf8")).toBe("old");
  });

  it("writes nothing when the tensor cannot be encoded", () => {
    const dir = tempDir();
    const bad = { data: new Float32Array(2), shape: [3] };
    expectRefusal(() => writeNpy(join(dir, "x.npy"), bad), join(dir, "x.npy"), ["needs 3"]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("successful writes", () => {
  it("replaces an existing file whole and leaves no temporary file", () => {
    const dir = tempDir();
    const path = join(dir, "x.npy");
    writeFileSync(path, "old contents");
    writeNpy(path, t);
    expect(readdirSync(dir)).toEqual(["x.npy"]);
    expect(Array.from(readNpy(path).data)).toEqual([1, 2, 3]);
  });

  it.runIf(POSIX)("keeps an existing file's permissions when it replaces the file", () => {
    const dir = tempDir();
    const path = join(dir, "x.npy");
    writeFileSync(path, "old", { mode: 0o640 });
    chmodSync(path, 0o640);
    writeNpy(path, t);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it.runIf(POSIX)("writes through a symbolic link when the destination is one", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "real.npy"), "old");
    symlinkSync("real.npy", join(dir, "link.npy"));
    writeNpy(join(dir, "link.npy"), t);
    expect(Array.from(readNpy(join(dir, "real.npy")).data)).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(["link.npy", "real.npy"]);
  });
});
