// Sequence lengths (`forward(input, initial, { lengths })`) in the generated kernels: PyTorch's
// packed-sequence fixtures through the module API, the float64 interpreter on random stacks of
// every shipped cell (both targets, with and without passes), running each sample alone on its
// own steps, exact zeros past each length, and negative controls showing the comparison tells a
// kernel that ignores or mishandles lengths.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { referenceForward } from "../../src/compiler/reference.js";
import { compareTensors } from "../../src/runtime/compare.js";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import { importKernel } from "../../src/kernel.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { FIXTURE_DIR, FIXTURE_NAMES, cellSource } from "../helpers/cells.js";
import { rng } from "../helpers/random.js";
import {
  FLOAT32_TOLERANCE,
  PASSES,
  type Passes,
  type StackConfig,
  checkAgainstInterpreter,
  expectClose,
  integers,
  makeStack,
  randomLengths,
  uniform,
  variantCache,
} from "./harness.js";

const compiled = variantCache();
const load = (cell: string, which: Passes) =>
  compiled(cellSource(cell), `cells/${cell}.cell`, which);

const SIZE_NAMES: Readonly<Record<string, readonly string[]>> = {
  lstm: ["I", "H"],
  lstmp: ["I", "H", "P"],
  linear_lstm: ["I", "H"],
  gru: ["I", "H"],
  rnn: ["I", "H"],
};

/** Layers cycle 1-3, directions and layouts alternate; T from 2 to 7 and B from 1 to 6. */
function config(cell: string, seed: number): StackConfig {
  const random = rng(4099 * seed + cell.length);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  return {
    layers: 1 + (seed % 3),
    bidirectional: ((seed >> 1) & 1) === 1,
    batchFirst: seed % 2 === 1,
    T: 1 + pick(6),
    B: pick(6),
    sizes: Object.fromEntries(SIZE_NAMES[cell]!.map((s) => [s, pick(6)])),
    withOptional: seed % 4 !== 3,
    withInitial: seed % 3 !== 2,
  };
}

const label = (cell: string, seed: number, cfg: StackConfig, lengths: Int32Array) =>
  `${cell} seed ${seed}: ${cfg.layers} layer(s), ${cfg.bidirectional ? "bi" : "uni"}directional, ` +
  `${cfg.batchFirst ? "batch-first" : "seq-first"}, T=${cfg.T} lengths [${lengths.join(", ")}]`;

const PACKED = FIXTURE_NAMES.filter((n) => n.includes("_packed"));

describe("PyTorch's packed sequences through the module API", () => {
  const table = PACKED.flatMap((name) =>
    (["pipeline", "js"] as const).flatMap((which) =>
      [1, 2].map((threads) => ({ name, which, threads })),
    ),
  );

  it.each(table)("matches $name [$which, $threads thread(s)]", async ({ name, which, threads }) => {
    const c = loadReferenceCase(join(FIXTURE_DIR, name));
    expect(c.lengths).not.toBeNull();
    const v = await load(c.cell, which);
    const model = v.kernel.create(c.weights, { batchFirst: c.batchFirst, threads });
    try {
      const result = model.forward(c.input, c.states, { lengths: c.lengths! });
      for (const [tensorName, want] of Object.entries(c.expected)) {
        const got = tensorName === "output" ? result.output : result.states[tensorName];
        const cmp = compareTensors(got!, want, c.tolerance);
        expect(cmp.mismatch, `${name}/${tensorName}`).toBeNull();
        expect(cmp.pass, `${name}/${tensorName}: max abs error ${cmp.maxAbs}`).toBe(true);
      }
    } finally {
      model.close();
    }
  });
});

const SMOOTH_CELLS = ["lstm", "lstmp", "gru", "rnn"];
const SEEDS = 6;
const CASES = SMOOTH_CELLS.flatMap((cell) =>
  Array.from({ length: SEEDS }, (_, seed) =>
    PASSES.map((which) => ({ cell, seed, which, cfg: config(cell, seed) })),
  ).flat(),
);

describe("generated kernel vs interpreter with sequence lengths", () => {
  it.each(CASES)(
    "matches for $cell seed $seed [passes: $which]",
    async ({ cell, seed, which, cfg }) => {
      const v = await load(cell, which);
      const random = rng(seed + 900);
      const stack = makeStack(v.ir, cfg, uniform(random, 0.5), uniform(random, 1), uniform(random));
      const lengths = randomLengths(random, cfg.T, cfg.B);
      const what = `${label(cell, seed, cfg, lengths)} [${v.label}]`;
      checkAgainstInterpreter(v.ir, v.kernel, { ...stack, lengths }, cfg, FLOAT32_TOLERANCE, what);
    },
  );

  it.each(PASSES)(
    "matches linear_lstm exactly on whole numbers with lengths [passes: %s]",
    async (which) => {
      const v = await load("linear_lstm", which);
      for (let seed = 0; seed < SEEDS; seed++) {
        const cfg = config("linear_lstm", seed);
        const random = rng(seed + 950);
        const fill = integers(random, -1, 1);
        const stack = makeStack(v.ir, cfg, fill, integers(random, -2, 2), fill);
        const lengths = randomLengths(random, cfg.T, cfg.B);
        const what = `${label("linear_lstm", seed, cfg, lengths)} [${v.label}]`;
        const exact = { atol: 0, rtol: 0 };
        checkAgainstInterpreter(v.ir, v.kernel, { ...stack, lengths }, cfg, exact, what);
      }
    },
  );
});

/** Rows (t, b) of a seq-first or batch-first (., ., F) tensor, as one flat copy. */
function row(t: Tensor, step: number, sample: number, T: number, B: number, batchFirst: boolean) {
  const F = t.shape[2]!;
  const r = batchFirst ? sample * T + step : step * B + sample;
  return Array.from(t.data.subarray(r * F, (r + 1) * F));
}

/** One sample's first `n` steps of a sequence, as a batch of one. */
function sampleInput(input: Tensor, b: number, n: number, T: number, B: number, bf: boolean) {
  const I = input.shape[2]!;
  const data = new Float32Array(n * I);
  for (let t = 0; t < n; t++) data.set(row(input, t, b, T, B, bf), t * I);
  return { data, shape: bf ? [1, n, I] : [n, 1, I] };
}

/** One sample's rows of (L*D, B, size) states. */
function sampleState(t: Tensor, b: number): Tensor<Float32Array> {
  const [count, B, size] = t.shape as [number, number, number];
  const data = new Float32Array(count * size);
  for (let k = 0; k < count; k++)
    data.set(t.data.subarray((k * B + b) * size, (k * B + b + 1) * size), k * size);
  return { data, shape: [count, 1, size] };
}

describe("sequence lengths mean running each sample on its own steps", () => {
  it.each(
    ["lstm", "lstmp", "gru"].flatMap((cell) =>
      (["pipeline", "js"] as const).map((which) => ({ cell, which })),
    ),
  )(
    "$cell [$which]: a sample of length n gives what its first n steps give alone, then zeros",
    async ({ cell, which }) => {
      const v = await load(cell, which);
      const cfg: StackConfig = { ...config(cell, 5), layers: 2, bidirectional: true, T: 7, B: 5 };
      const random = rng(77);
      const stack = makeStack(v.ir, cfg, uniform(random, 0.6), uniform(random, 1), uniform(random));
      const lengths = Int32Array.from([3, 7, 1, 5, 6]);
      const model = v.kernel.create(stack.weights, { batchFirst: cfg.batchFirst });
      const got = model.forward(stack.input, stack.initial, { lengths });
      const { T, B, batchFirst } = cfg;
      for (let b = 0; b < B; b++) {
        const n = lengths[b]!;
        const initial = Object.fromEntries(
          Object.entries(stack.initial).map(([name, t]) => [name, sampleState(t, b)]),
        );
        const alone = model.forward(sampleInput(stack.input, b, n, T, B, batchFirst), initial);
        for (let t = 0; t < T; t++) {
          const mine = row(got.output, t, b, T, B, batchFirst);
          if (t >= n)
            expect(
              mine.every((x) => Object.is(x, 0)),
              `step ${t} of sample ${b}`,
            ).toBe(true);
          else {
            const want = {
              data: Float32Array.from(row(alone.output, t, 0, n, 1, batchFirst)),
              shape: [mine.length],
            };
            expectClose(
              { data: Float32Array.from(mine), shape: [mine.length] },
              want,
              FLOAT32_TOLERANCE,
              `sample ${b} step ${t}`,
            );
          }
        }
        for (const [name, t] of Object.entries(got.states)) {
          expectClose(
            sampleState(t, b),
            alone.states[name]!,
            FLOAT32_TOLERANCE,
            `sample ${b} ${name}`,
          );
        }
      }
    },
  );

  it.each(PASSES)(
    "gives the no-lengths result bit for bit when every length is T [%s]",
    async (which) => {
      const v = await load("lstm", which);
      const cfg: StackConfig = { ...config("lstm", 4), T: 6, B: 3 };
      const stack = makeStack(v.ir, cfg, uniform(rng(5)));
      const model = v.kernel.create(stack.weights, { batchFirst: cfg.batchFirst });
      const plain = model.forward(stack.input, stack.initial);
      const full = model.forward(stack.input, stack.initial, { lengths: [6, 6, 6] });
      expect(full.output.data).toEqual(plain.output.data);
      expect(full.states).toEqual(plain.states);
    },
  );

  it("keeps a model's buffers right when forwards with and without lengths alternate", async () => {
    const v = await load("gru", "pipeline");
    const cfg: StackConfig = { ...config("gru", 2), T: 5, B: 4 };
    const random = rng(31);
    const stack = makeStack(v.ir, cfg, uniform(random), uniform(random, 1), uniform(random));
    const model = v.kernel.create(stack.weights, { batchFirst: cfg.batchFirst });
    const options = { batchFirst: cfg.batchFirst };
    for (const lengths of [[2, 5, 1, 3], null, [5, 4, 5, 1], [1, 1, 1, 1]]) {
      const given = lengths ? { lengths } : {};
      const want = referenceForward(v.ir, stack.weights, stack.input, stack.initial, {
        ...options,
        ...given,
      });
      const got = model.forward(stack.input, stack.initial, given);
      expectClose(got.output, want.output, FLOAT32_TOLERANCE, `lengths ${String(lengths)}`);
      expectClose(
        got.states["h"]!,
        want.states["h"]!,
        FLOAT32_TOLERANCE,
        `h, lengths ${String(lengths)}`,
      );
    }
  });
});

describe("sequence lengths (negative controls)", () => {
  const setup = async (which: Passes) => {
    const v = await load("lstm", which);
    const cfg: StackConfig = { ...config("lstm", 4), layers: 2, bidirectional: true, T: 6, B: 4 };
    const random = rng(123);
    const stack = makeStack(v.ir, cfg, uniform(random), uniform(random, 1), uniform(random));
    return { v, cfg, stack: { ...stack, lengths: Int32Array.from([2, 6, 4, 1]) } };
  };

  it("reports a mismatch when the kernel is not given the lengths", async () => {
    const { v, cfg, stack } = await setup("pipeline");
    const { lengths: _, ...without } = stack;
    expect(() =>
      checkAgainstInterpreter(v.ir, v.kernel, stack, cfg, FLOAT32_TOLERANCE, "no lengths", without),
    ).toThrow(/differ/);
  });

  const mutations = [
    { what: "finished samples keep running", from: "if (lengths !== null)", to: "if (false)" },
    {
      what: "the kept states are those of the next step",
      from: "if (t < lengths[b]) continue;",
      to: "if (t <= lengths[b]) continue;",
    },
  ];

  it.each(mutations)(
    "reports a mismatch when, in the generated lstm, $what",
    async ({ from, to }) => {
      const { v, cfg, stack } = await setup("js");
      expect(v.code).toContain(from);
      const mutant = await importKernel(v.code.split(from).join(to));
      checkAgainstInterpreter(v.ir, v.kernel, stack, cfg, FLOAT32_TOLERANCE, "original");
      expect(() =>
        checkAgainstInterpreter(v.ir, mutant, stack, cfg, FLOAT32_TOLERANCE, "mutant"),
      ).toThrow(/differ/);
    },
  );
});
