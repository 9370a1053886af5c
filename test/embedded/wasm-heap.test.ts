// The kernels' WebAssembly memory (runtime/wasm-heap.ts): growing must never detach an
// ArrayBuffer (one detach anywhere makes V8 slow down every typed-array access in the process),
// and moving to a larger memory must keep what was stored and give working kernels.
import { describe, expect, it } from "vitest";
import { gemmFunction } from "../../src/compiler/wasm/gemm.js";
import { assemble } from "../../src/compiler/wasm/module.js";
import { Heap, compileKernels, PANEL } from "../../src/embedded/wasm-heap.js";

type Kernels = { gemm(...args: number[]): void };

function heap(): Heap<Kernels> {
  const module = compileKernels(Buffer.from(assemble([gemmFunction()])).toString("base64"));
  if (!module) throw new Error("test setup: no WebAssembly SIMD here");
  return new Heap<Kernels>(module);
}

describe("Heap", () => {
  it("moves to a larger memory without detaching the old one, keeping its contents", () => {
    const h = heap();
    const at = h.vector([1, 2, 3], 4);
    const before = h.f32;
    const kernelsBefore = h.kernels;
    h.alloc(10 * before.length);
    expect(h.f32).not.toBe(before);
    expect(h.kernels).not.toBe(kernelsBefore);
    expect(before.buffer.byteLength).toBeGreaterThan(0); // a detached buffer has length 0
    expect(h.f32.length).toBeGreaterThanOrEqual(h.top);
    expect(Array.from(h.f32.subarray(at, at + 3))).toEqual([1, 2, 3]);
  });

  it("runs the kernels of the new instance on the moved data", () => {
    const h = heap();
    // out = W x for a 2 x 3 W, then enough allocation to force a move, then run.
    const w = h.packed([1, 2, 3, 4, 5, 6], 2, 3);
    const x = h.vector([1, 1, 1], 4 * 3);
    const out = h.alloc(4 * 2 * PANEL);
    const zeros = h.alloc(PANEL);
    h.alloc(4 * h.f32.length);
    h.kernels.gemm(1, 2, 3, 4 * w, 4 * x, 12, 4 * out, 4 * PANEL, 4 * zeros, 0);
    expect(Array.from(h.f32.subarray(out, out + 2))).toEqual([6, 15]);
  });
});
