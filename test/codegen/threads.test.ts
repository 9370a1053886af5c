// `create(weights, { threads })`: a forward split over worker threads must return exactly what one
// thread returns (bit for bit), for every target, cell shape, layout and stack, with and without
// sequence lengths, and must really use its workers (shown by a worker that cannot start).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { KernelModule } from "../../src/kernel.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { cellSource } from "../helpers/cells.js";
import { rng } from "../helpers/random.js";
import { planPieces } from "../../src/embedded/slices.js";
import { referenceForward } from "../../src/compiler/reference.js";
import {
  FLOAT32_TOLERANCE,
  type Passes,
  type StackConfig,
  expectClose,
  makeStack,
  randomLengths,
  uniform,
  variantCache,
} from "./harness.js";

const variant = variantCache();

function mismatches(a: Tensor, b: Tensor): number {
  expect(b.shape).toEqual(a.shape);
  let n = 0;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) n++;
  return n;
}

interface Case {
  readonly cell: string;
  readonly cfg: StackConfig;
  readonly threads: number;
}

const base = { withOptional: true, withInitial: false, batchFirst: false, bidirectional: false };
const CASES: readonly Case[] = [
  { cell: "gru", threads: 2, cfg: { ...base, layers: 1, T: 30, B: 16, sizes: { I: 64, H: 64 } } },
  {
    cell: "lstm",
    threads: 3,
    cfg: {
      ...base,
      layers: 2,
      bidirectional: true,
      batchFirst: true,
      withInitial: true,
      T: 20,
      B: 9,
      sizes: { I: 32, H: 48 },
    },
  },
  {
    cell: "lstmp",
    threads: 2,
    cfg: { ...base, layers: 2, withInitial: true, T: 40, B: 5, sizes: { I: 64, H: 96, P: 48 } },
  },
  { cell: "lstm", threads: 2, cfg: { ...base, layers: 1, T: 40, B: 1, sizes: { I: 64, H: 64 } } },
];

describe.each<Passes>(["pipeline", "js"])("threads, %s", (which) => {
  it.each(CASES)("$cell, B = $cfg.B, $threads threads", async ({ cell, cfg, threads }) => {
    const v = await variant(cellSource(cell), `cells/${cell}.cell`, which);
    const stack = makeStack(v.ir, cfg, uniform(rng(cfg.B * 31 + threads), 0.3));
    const options = { batchFirst: cfg.batchFirst };
    const [T, B, I, F] = [cfg.T, cfg.B, stack.input.shape[2]!, stack.outputShape[2]!];
    // Every case but the batch of one is big enough to be split.
    expect(planPieces(T, B, I, F, threads).length > 1).toBe(B > 1);
    const one = v.kernel.create(stack.weights, options).forward(stack.input, stack.initial);
    const model = v.kernel.create(stack.weights, { ...options, threads });
    try {
      for (let run = 0; run < 2; run++) {
        const many = model.forward(stack.input, stack.initial);
        expect(mismatches(one.output, many.output)).toBe(0);
        for (const name of Object.keys(one.states)) {
          expect(mismatches(one.states[name]!, many.states[name]!)).toBe(0);
        }
      }
    } finally {
      model.close();
    }
  });

  it.each(CASES)(
    "$cell, B = $cfg.B, $threads threads, with sequence lengths",
    async ({ cell, cfg, threads }) => {
      const v = await variant(cellSource(cell), `cells/${cell}.cell`, which);
      const random = rng(cfg.B * 37 + threads);
      const stack = makeStack(v.ir, cfg, uniform(random, 0.3));
      const lengths = { lengths: randomLengths(random, cfg.T, cfg.B) };
      const options = { batchFirst: cfg.batchFirst };
      const one = v.kernel.create(stack.weights, options);
      const want = one.forward(stack.input, stack.initial, lengths);
      // What every thread count must give bit for bit is right: the float64 interpreter agrees.
      const reference = referenceForward(v.ir, stack.weights, stack.input, stack.initial, {
        ...options,
        ...lengths,
      });
      expectClose(want.output, reference.output, FLOAT32_TOLERANCE, "output");
      for (const [name, t] of Object.entries(reference.states)) {
        expectClose(want.states[name]!, t, FLOAT32_TOLERANCE, name);
      }
      // The lengths matter: without them the result differs.
      const plain = one.forward(stack.input, stack.initial);
      expect(mismatches(want.output, plain.output)).toBeGreaterThan(0);
      const model = v.kernel.create(stack.weights, { ...options, threads });
      try {
        for (const given of [lengths, {}, { lengths: Array.from(lengths.lengths) }]) {
          const many = model.forward(stack.input, stack.initial, given);
          const expected = "lengths" in given ? want : plain;
          expect(mismatches(expected.output, many.output)).toBe(0);
          for (const name of Object.keys(expected.states)) {
            expect(mismatches(expected.states[name]!, many.states[name]!)).toBe(0);
          }
        }
      } finally {
        model.close();
      }
    },
  );
});

describe("thread pool", () => {
  const lstm = () => variant(cellSource("lstm"), "cells/lstm.cell", "pipeline");
  const setup = async (B: number) => {
    const v = await lstm();
    const cfg = { ...base, layers: 1, T: 30, B, sizes: { I: 64, H: 64 } };
    return { v, stack: makeStack(v.ir, cfg, uniform(rng(7), 0.3)) };
  };

  it("reports a worker that cannot start, then runs on one thread", async () => {
    const { v, stack } = await setup(8);
    const dir = mkdtempSync(join(tmpdir(), "cellc-threads-"));
    const file = join(dir, "lstm.mjs");
    writeFileSync(file, v.code);
    const kernel = (await import(pathToFileURL(file).href)) as KernelModule;
    rmSync(dir, { recursive: true });
    const model = kernel.create(stack.weights, { threads: 2 });
    expect(() => model.forward(stack.input)).toThrow(/^worker thread 1: .*lstm\.mjs/);
    const after = model.forward(stack.input);
    const one = v.kernel.create(stack.weights).forward(stack.input);
    expect(mismatches(one.output, after.output)).toBe(0);
  });

  it("checks initial states as one thread does", async () => {
    const { v, stack } = await setup(8);
    const model = v.kernel.create(stack.weights, { threads: 2 });
    const h = { data: new Float32Array(7 * 64), shape: [1, 7, 64] };
    expect(() => model.forward(stack.input, { h })).toThrow(
      "initial states: tensor 'h': expected shape (layers*directions, batch, size) = [1, 8, 64], found [1, 7, 64]",
    );
    model.close();
  });

  it("checks sequence lengths as one thread does", async () => {
    const { v, stack } = await setup(8);
    const model = v.kernel.create(stack.weights, { threads: 2 });
    const lengths = [30, 30, 30, 0, 30, 30, 30, 30];
    const message =
      "lengths: sample 3 has length 0: expected an integer from 1 to 30, the input's steps";
    expect(() => v.kernel.create(stack.weights).forward(stack.input, {}, { lengths })).toThrow(
      message,
    );
    expect(() => model.forward(stack.input, {}, { lengths })).toThrow(message);
    expect(() => model.forward(stack.input, {}, { lengths: [1, 2] })).toThrow(
      "lengths: expected 8 lengths, one per sample of the batch, found 2",
    );
    model.close();
  });

  it("runs on one thread after close()", async () => {
    const { v, stack } = await setup(8);
    const model = v.kernel.create(stack.weights, { threads: 2 });
    model.close();
    model.close();
    const one = v.kernel.create(stack.weights).forward(stack.input);
    expect(mismatches(one.output, model.forward(stack.input).output)).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, "2", 65, 256])("rejects threads: %s", async (threads) => {
    const { v, stack } = await setup(2);
    const options = { threads: threads as number };
    expect(() => v.kernel.create(stack.weights, options)).toThrow(
      /^options\.threads: expected an integer from 1 to 64, found /,
    );
  });
});
