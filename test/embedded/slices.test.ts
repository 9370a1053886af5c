// How the thread pool cuts a batch into pieces (runtime/slices.ts).
import { describe, expect, it } from "vitest";
import { splitRows } from "../../src/embedded/slices.js";

const BIG = 1e12;

describe("splitRows", () => {
  it("keeps a batch of one, or too little work, whole", () => {
    expect(splitRows(1, 2, 8, BIG)).toEqual([1]);
    expect(splitRows(64, 2, 8, 1000)).toEqual([64]);
  });

  it("cuts pieces of four rows or more, at most the cap", () => {
    expect(splitRows(16, 2, 8, BIG)).toEqual([4, 4, 4, 4]);
    expect(splitRows(64, 2, 8, BIG)).toEqual(Array(8).fill(8));
    expect(splitRows(10, 2, 8, BIG)).toEqual([5, 5]);
  });

  it("gives every thread a piece of two rows or more when the batch is small", () => {
    expect(splitRows(5, 2, 8, BIG)).toEqual([2, 3]);
    expect(splitRows(6, 3, 12, BIG)).toEqual([2, 2, 2]);
    expect(splitRows(3, 4, 16, BIG)).toEqual([3]);
  });

  it("makes no more pieces than the work pays for", () => {
    expect(splitRows(64, 2, 8, 3 * (1 << 18))).toHaveLength(3);
  });

  it("covers every row once", () => {
    for (let B = 1; B < 40; B++) {
      for (const threads of [2, 3, 4]) {
        const rows = splitRows(B, threads, 4 * threads, BIG);
        expect(rows.reduce((a, b) => a + b, 0)).toBe(B);
        if (rows.length > 1) expect(Math.min(...rows)).toBeGreaterThanOrEqual(2);
      }
    }
  });
});
