// A write that fails halfway (the disk fills up, the rename fails) leaves no partial file and no
// temporary file, keeps the old file whole, and is one line naming the path. node:fs is wrapped
// here so the failures happen on demand; everything else goes to the real file system.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeNpy, writeSafetensors } from "../../src/runtime/node-files.js";
import { tensor } from "../../src/shared/tensor.js";
import { expectRefusal } from "./data-file-bytes.js";

/** Which failure the wrapped node:fs injects next, if any. */
const inject = vi.hoisted(() => ({ failure: null as null | "ENOSPC" | "EXDEV" }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const systemError = (code: string, text: string): Error =>
    Object.assign(new Error(`${code}: ${text}`), { code });
  return {
    ...fs,
    // A full disk: half the bytes reach the file (named or open), then the write fails.
    writeFileSync: (...args: Parameters<typeof fs.writeFileSync>) => {
      const [file, data, options] = args;
      if (inject.failure === "ENOSPC" && data instanceof Uint8Array) {
        fs.writeFileSync(file, data.subarray(0, data.length >> 1), options);
        throw systemError("ENOSPC", "no space left on device, write");
      }
      return fs.writeFileSync(...args);
    },
    renameSync: (...args: Parameters<typeof fs.renameSync>) => {
      if (inject.failure === "EXDEV") {
        throw systemError("EXDEV", `cross-device link not permitted, rename '${args[0]}'`);
      }
      return fs.renameSync(...args);
    },
  };
});

afterEach(() => {
  inject.failure = null;
});

const t = tensor(new Float64Array(1000).fill(0.5), [10, 100]);
const tempDir = (): string => mkdtempSync(join(tmpdir(), "cellc-fail-"));

describe("writes that fail halfway", () => {
  it("leaves no file when the disk fills up during a new file's write", () => {
    const dir = tempDir();
    const path = join(dir, "s_n.npy");
    inject.failure = "ENOSPC";
    expectRefusal(() => writeNpy(path, t), path, ["cannot write: no space left on the device"]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps the old file whole when the disk fills up while replacing it", () => {
    const dir = tempDir();
    const path = join(dir, "w.safetensors");
    writeFileSync(path, "the old weights");
    inject.failure = "ENOSPC";
    expectRefusal(() => writeSafetensors(path, { t }), path, ["no space left"]);
    expect(readdirSync(dir)).toEqual(["w.safetensors"]);
    expect(readFileSync(path, "utf8")).toBe("the old weights");
  });

  it("removes the temporary file and shows no temporary path when the rename fails", () => {
    const dir = tempDir();
    const path = join(dir, "x.npy");
    inject.failure = "EXDEV";
    const e = expectRefusal(() => writeNpy(path, t), path, ["cross-device link not permitted"]);
    expect(e.message).not.toContain(".tmp");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("writes normally when nothing fails", () => {
    const dir = tempDir();
    writeNpy(join(dir, "x.npy"), t);
    expect(readdirSync(dir)).toEqual(["x.npy"]);
  });
});
