// What `cellc` makes of each kind of failure (src/cli/exit-status.ts): usage 2; data, files, the
// file system and allocations that do not fit 1, each one line; everything else, a stack overflow
// included, 70 "internal error". The errors are the real ones V8 and Node throw where possible.
import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { failureOf, isAllocationFailure } from "../../src/cli/exit-status.js";
import { FileError } from "../../src/cli/file-error.js";
import { UsageError } from "../../src/cli/usage.js";
import { DataError } from "../../src/shared/data-error.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

const recurse = (n: number): number => recurse(n + 1) + 1;

/** The WebAssembly API, reached through globalThis (the project compiles without DOM types). */
const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => unknown } })
  .WebAssembly;

describe("failureOf", () => {
  it("gives 2 for a usage error and 1 for a DataError or a FileError, with their messages", () => {
    expect(failureOf(new UsageError("missing --out"), false)).toEqual({
      status: 2,
      message: "missing --out",
    });
    expect(failureOf(new DataError("x.npy", "h", "bad"), false)).toEqual({
      status: 1,
      message: "x.npy: tensor 'h': bad",
    });
    expect(failureOf(new FileError("out: is a FIFO"), false).status).toBe(1);
  });

  it("gives 1 and 'out of memory' for allocations that do not fit", () => {
    const huge = [
      thrown(() => new Float32Array(2 ** 40)),
      thrown(() => new ArrayBuffer(2 ** 53)),
      thrown(() => new wasm.Memory({ initial: 70_000 })),
      new RangeError("Array buffer allocation failed"),
    ];
    for (const e of huge) {
      expect(isAllocationFailure(e), String(e)).toBe(true);
      const f = failureOf(e, false);
      expect(f.status).toBe(1);
      expect(f.message).toMatch(/^out of memory: /);
      expect(f.message).not.toContain("\n");
    }
  });

  it("gives 70 for a stack overflow and other bugs, with the stack only when debugging", () => {
    const overflow = thrown(() => recurse(0));
    expect((overflow as Error).message).toContain("Maximum call stack size exceeded");
    expect(isAllocationFailure(overflow)).toBe(false);
    expect(failureOf(overflow, false)).toEqual({
      status: 70,
      message: "internal error: Maximum call stack size exceeded (set CELLC_DEBUG=1 for details)",
    });
    const bug = failureOf(new TypeError("x is undefined"), true);
    expect(bug.status).toBe(70);
    expect(bug.message).toMatch(/^internal error: x is undefined\n/);
  });

  it("gives 1 for a file-system error no verb foresaw", () => {
    const e = thrown(() => statSync("/nonexistent/cellc"));
    expect(failureOf(e, false)).toEqual({
      status: 1,
      message: "ENOENT: no such file or directory, stat '/nonexistent/cellc'",
    });
  });

  it("escapes control characters in messages it did not build", () => {
    const f = failureOf(new TypeError("bad \u001b[2J name"), false);
    expect(f.message).toContain("bad \\x1b[2J name");
  });
});
