// The generated modules against the float64 interpreter on the lowered IR: every shipped cell,
// compiled with the full pipeline and with no passes, imported from a data: URL as a user would,
// run over random stacks (1-3 layers, both directions, batch-first or not, with and without
// optional biases and initial states). Outputs and final states must have PyTorch's shapes exactly
// and agree within float32 rounding.
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/compiler/codegen/index.js";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { cellMeta } from "../../src/compiler/ir/meta.js";
import { referenceForward } from "../../src/compiler/reference.js";
import { type KernelModule, importKernel } from "../../src/kernel.js";
import { CELL_NAMES, cellSource, compileCell } from "../helpers/cells.js";
import { rng } from "../helpers/random.js";
import {
  FLOAT32_TOLERANCE,
  PASSES,
  type Passes,
  type Stack,
  type StackConfig,
  checkAgainstInterpreter,
  expectClose,
  expectShape,
  integers,
  makeStack,
  uniform,
  variantCache,
} from "./harness.js";

const compiled = variantCache();
const load = (cell: string, which: Passes, activations: Readonly<Record<string, string>> = {}) =>
  compiled(cellSource(cell), `cells/${cell}.cell`, which, activations);

/** Every case twice: compiled with the full pipeline and with no passes. */
const bothWays = <C extends { label: string }>(cases: readonly C[]) =>
  cases.flatMap((c) =>
    PASSES.map((which) => ({ ...c, which, label: `${c.label} [passes: ${which}]` })),
  );

/** The sizes a shipped cell declares (lstmp's I, H, P), each drawn from 1..7. */
const sizeNames = (cell: string): readonly string[] => compileCell(cell).sizes;

interface Case {
  readonly cell: string;
  readonly seed: number;
  readonly cfg: StackConfig;
  readonly label: string;
}

/**
 * Seed 0 is the smallest stack (every size 1, T = B = 1), seed 1 the largest (sizes 7, T = 6,
 * B = 4); the rest are random. Layers cycle 1, 2, 3 and directions change every two seeds, so each
 * cell sees every (layers, directions) pair; biases, initial states and batch-first vary too, and
 * seed 0 names its weights without suffixes, as nn.LSTMCell saves them.
 */
function makeCase(cell: string, seed: number): Case {
  const random = rng(7919 * seed + cell.length);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const size = () => (seed === 0 ? 1 : seed === 1 ? 7 : pick(7));
  const sizes = Object.fromEntries(sizeNames(cell).map((s) => [s, size()]));
  const layers = 1 + (seed % 3);
  const bidirectional = ((seed >> 1) & 1) === 1;
  const cfg: StackConfig = {
    layers,
    bidirectional,
    batchFirst: seed % 2 === 1,
    T: seed === 0 ? 1 : seed === 1 ? 6 : pick(6),
    B: seed === 0 ? 1 : seed === 1 ? 4 : pick(4),
    sizes,
    withOptional: seed % 4 !== 2,
    withInitial: seed % 3 !== 1,
    plainNames: seed === 0,
  };
  const sizeText = Object.entries(sizes)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const label =
    `${cell} seed ${seed}: ${layers} layer(s), ${bidirectional ? "bi" : "uni"}directional, ` +
    `${cfg.batchFirst ? "batch-first" : "seq-first"}, T=${cfg.T} B=${cfg.B} ${sizeText}, ` +
    `${cfg.withOptional ? "biases" : "no biases"}, ${cfg.withInitial ? "initial states" : "zero states"}` +
    (cfg.plainNames ? ", unsuffixed names" : "");
  return { cell, seed, cfg, label };
}

/** Every shipped cell but linear_lstm, whose step gates get a suite of their own below. */
const SMOOTH_CELLS = CELL_NAMES.filter((cell) => cell !== "linear_lstm");
const SEEDS = 9;
const CASES = SMOOTH_CELLS.flatMap((cell) =>
  Array.from({ length: SEEDS }, (_, seed) => makeCase(cell, seed)),
);

describe("generated kernel vs interpreter on the shipped cells", () => {
  it.each(bothWays(CASES))(
    "matches the float64 interpreter when $label",
    async ({ cell, seed, cfg, which }) => {
      const v = await load(cell, which);
      const random = rng(seed + 100);
      const stack = makeStack(v.ir, cfg, uniform(random, 0.5), uniform(random, 1), uniform(random));
      checkAgainstInterpreter(v.ir, v.kernel, stack, cfg, FLOAT32_TOLERANCE, v.label);
    },
  );

  it("covers every (layers, directions) pair, both layouts and the size extremes when seeds 0-8 are drawn", () => {
    for (const cell of SMOOTH_CELLS) {
      const mine = CASES.filter((c) => c.cell === cell).map((c) => c.cfg);
      expect(new Set(mine.map((c) => `${c.layers}/${c.bidirectional}`)).size).toBe(6);
      for (const key of ["batchFirst", "withOptional", "withInitial"] as const)
        expect(new Set(mine.map((c) => c[key])).size, key).toBe(2);
      expect(mine.some((c) => c.plainNames)).toBe(true);
      const smallest = (c: StackConfig) =>
        c.T === 1 && c.B === 1 && Object.values(c.sizes).every((n) => n === 1);
      const largest = (c: StackConfig) =>
        c.T === 6 && c.B === 4 && Object.values(c.sizes).every((n) => n === 7);
      expect(mine.some(smallest)).toBe(true);
      expect(mine.some(largest)).toBe(true);
    }
  });

  it.each(SMOOTH_CELLS)(
    "exports the cell's interface as meta when %s is generated",
    async (cell) => {
      for (const which of PASSES) {
        const v = await load(cell, which);
        expect(v.kernel.meta).toEqual(JSON.parse(JSON.stringify(cellMeta(v.ir))));
      }
    },
  );
});

/**
 * linear_lstm's gates are step functions, discontinuous at 0, so float32 rounding near 0 could
 * flip a gate and make any tolerance meaningless. Instead the data are whole numbers (weights and
 * biases in -1..1, inputs in -2..2, initial states in -1..1): every sum, product and gate is then
 * a whole number, exact in float64 and, below 2^24, in float32 too. The kernel must match the
 * interpreter exactly, and pre-activations of exactly 0 (where step gives 1) are common.
 */
describe("generated kernel vs interpreter on linear_lstm", () => {
  const EXACT = { atol: 0, rtol: 0 };
  const LINEAR_CASES = Array.from({ length: SEEDS }, (_, seed) => makeCase("linear_lstm", seed));

  it.each(bothWays(LINEAR_CASES))(
    "matches the interpreter exactly when $label",
    async ({ seed, cfg, which }) => {
      const v = await load("linear_lstm", which);
      const random = rng(seed + 200);
      const stack = makeStack(
        v.ir,
        cfg,
        integers(random, -1, 1),
        integers(random, -2, 2),
        integers(random, -1, 1),
      );
      const { want } = checkAgainstInterpreter(v.ir, v.kernel, stack, cfg, EXACT, v.label);
      // The premise: whole numbers far below 2^24, where float32 is still exact.
      const values = [want.output, ...Object.values(want.states)].flatMap((t) => [...t.data]);
      expect(values.every((x) => Number.isInteger(x) && Math.abs(x) < 2 ** 20)).toBe(true);
      // The gates did switch: some outputs shut (0) and some open, once there are a few.
      if (want.output.data.length >= 8) {
        expect(values.some((x) => x === 0)).toBe(true);
        expect(values.some((x) => x !== 0)).toBe(true);
      }
    },
  );
});

/** Slot overrides change the generated arithmetic; each must still match the interpreter. */
const OVERRIDES: readonly { cell: string; activations: Record<string, string> }[] = [
  {
    cell: "lstm",
    activations: { gate: "hard_sigmoid(0.25, 0.5)", cand: "softsign", cell: "linear" },
  },
  { cell: "lstmp", activations: { gate: "hard_sigmoid", cell: "scaled_tanh(1.7159, 0.6667)" } },
  { cell: "rnn", activations: { act: "relu" } },
  { cell: "rnn", activations: { act: "leaky_relu(0.1)" } },
  { cell: "rnn", activations: { act: "gelu" } },
  { cell: "rnn", activations: { act: "gelu_tanh" } },
  { cell: "gru", activations: { cand: "elu(0.5)" } },
  { cell: "gru", activations: { cand: "gelu" } },
  { cell: "mgu", activations: { cand: "gelu_tanh" } },
  { cell: "gru", activations: { gate: "hard_sigmoid(0.2, 0.5)", cand: "softplus" } },
  { cell: "peephole_lstm", activations: { gate: "hard_sigmoid(0.2, 0.5)", cell: "linear" } },
  { cell: "indrnn", activations: { act: "tanh" } },
  { cell: "minimalrnn", activations: { enc: "relu" } },
];
const OVERRIDE_CASES = OVERRIDES.flatMap(({ cell, activations }) =>
  [4, 5, 7].map((seed) => {
    const c = makeCase(cell, seed);
    const text = Object.entries(activations)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
    return { ...c, activations, label: `${text}; ${c.label}` };
  }),
);

describe("generated kernel vs interpreter with activation overrides", () => {
  it.each(bothWays(OVERRIDE_CASES))(
    "matches the float64 interpreter when $label",
    async ({ cell, seed, cfg, activations, which }) => {
      const v = await load(cell, which, activations);
      // The override took effect (the activation named in the spec is bound to the slot).
      for (const [slot, spec] of Object.entries(activations))
        expect(v.ir.slots.find((s) => s.slot === slot)?.activation).toBe(spec.split("(")[0]);
      const random = rng(seed + 300);
      // Larger weights push the gates into hard_sigmoid's clipped ends and relu's zero.
      const stack = makeStack(v.ir, cfg, uniform(random, 1.5), uniform(random, 2), uniform(random));
      checkAgainstInterpreter(v.ir, v.kernel, stack, cfg, FLOAT32_TOLERANCE, v.label);
    },
  );
});

describe("generated kernel reuse", () => {
  it.each(SMOOTH_CELLS)(
    "matches the interpreter on every call when one %s model runs sequences of changing length and batch",
    async (cell) => {
      const random = rng(400 + cell.length);
      const base = makeCase(cell, 5).cfg;
      const cfg: StackConfig = { ...base, layers: 2, bidirectional: true };
      for (const which of PASSES) {
        const v = await load(cell, which);
        const ir = v.ir;
        const weights = makeStack(ir, cfg, uniform(random)).weights;
        const model = v.kernel.create(weights, { batchFirst: cfg.batchFirst });
        // Longer, then shorter (the buffers are kept), then a new batch size (they are not).
        for (const [T, B] of [
          [5, 3],
          [2, 3],
          [6, 3],
          [3, 1],
          [1, 4],
        ] as const) {
          const run = makeStack(ir, { ...cfg, T, B }, uniform(random));
          const options = { batchFirst: cfg.batchFirst };
          const want = referenceForward(ir, weights, run.input, run.initial, options);
          const got = model.forward(run.input, run.initial);
          const what = `${cell} [${v.label}] T=${T} B=${B}`;
          expectShape(got.output, run.outputShape, what);
          expectClose(got.output, want.output, FLOAT32_TOLERANCE, `${what}: output`);
          for (const s of ir.states)
            expectClose(
              got.states[s.name]!,
              want.states[s.name]!,
              FLOAT32_TOLERANCE,
              `${what}: ${s.name}`,
            );
        }
      }
    },
  );

  it("gives the same values when the module is formatted by prettier", async () => {
    for (const cell of SMOOTH_CELLS) {
      const v = await load(cell, "pipeline");
      const { code } = await generateModule(v.optIR, {
        source: { name: `cells/${cell}.cell`, text: cellSource(cell) },
        passes: v.passes,
        tinyLayersInJs: false,
      });
      const formatted = await importKernel(code);
      const cfg = makeCase(cell, 4).cfg;
      const stack = makeStack(v.ir, cfg, uniform(rng(500)));
      const run = (k: KernelModule) =>
        k.create(stack.weights, { batchFirst: cfg.batchFirst }).forward(stack.input, stack.initial)
          .output.data;
      expect(run(formatted)).toEqual(run(v.kernel));
    }
  });
});

type Forward = ReturnType<typeof referenceForward>;

/** The largest difference between two forwards' outputs and final states. */
function maxDifference(a: Forward, b: Forward): number {
  const pairs = [
    [a.output, b.output],
    ...Object.keys(a.states).map((k) => [a.states[k]!, b.states[k]!]),
  ];
  let worst = 0;
  for (const [x, y] of pairs)
    x!.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - y!.data[i]!))));
  return worst;
}

/**
 * `s` with one weight entry off by 0.01: the last entry of the first recurrent weight whose change
 * moves the float64 result by ten tolerances or more (or, failing that, of another weight). Some
 * entries are idle on given data (those of a relu unit that stays at 0, or ones multiplying a
 * state near 0 whose effect fades through three layers): no comparison can catch a change that
 * changes nothing.
 */
function weightEntryOff(ir: CellIR, s: Stack, batchFirst: boolean): Stack {
  const run = (w: Stack["weights"]) => referenceForward(ir, w, s.input, s.initial, { batchFirst });
  const before = run(s.weights);
  const names = [...s.weights.keys()].sort(
    (a, b) => +!/^weight_hh/.test(a) - +!/^weight_hh/.test(b),
  );
  for (const name of names) {
    const t = s.weights.get(name)!;
    for (let k = t.data.length - 1; k >= 0; k--) {
      const data = Float32Array.from(t.data);
      data[k] = data[k]! + 0.01;
      const weights = new Map(s.weights).set(name, { data, shape: t.shape });
      if (maxDifference(run(weights), before) >= 10 * FLOAT32_TOLERANCE.atol)
        return { ...s, weights };
    }
  }
  throw new Error("test setup: no weight entry changes the result");
}

/** The comparison must be able to fail: small, realistic mistakes are caught. */
describe("generated kernel comparison (negative controls)", () => {
  type Change = (s: Stack, random: () => number, ir: CellIR, batchFirst: boolean) => Stack;
  const mistakes: readonly { what: string; change: Change }[] = [
    {
      what: "one weight entry is off by 0.01",
      change: (s, _, ir, bf) => weightEntryOff(ir, s, bf),
    },
    { what: "the initial states are dropped", change: (s) => ({ ...s, initial: {} }) },
    {
      what: "the last time step's input is changed",
      change: (s) => {
        const data = Float32Array.from(s.input.data);
        data[data.length - 1] = data[data.length - 1]! + 0.01;
        return { ...s, input: { data, shape: s.input.shape } };
      },
    },
  ];

  it.each(SMOOTH_CELLS.flatMap((cell) => mistakes.map((m) => ({ cell, ...m }))))(
    "reports a mismatch when, for $cell, $what",
    async ({ cell, change }) => {
      const v = await load(cell, "pipeline");
      const ir = v.ir;
      const cfg: StackConfig = { ...makeCase(cell, 2).cfg, withInitial: true, withOptional: true };
      const random = rng(600);
      const stack = makeStack(ir, cfg, uniform(random), uniform(random, 1), uniform(random));
      checkAgainstInterpreter(ir, v.kernel, stack, cfg, FLOAT32_TOLERANCE, "unchanged");
      const changed = change(stack, random, ir, cfg.batchFirst);
      expect(() =>
        checkAgainstInterpreter(ir, v.kernel, stack, cfg, FLOAT32_TOLERANCE, "changed", changed),
      ).toThrow(/differ/);
    },
  );

  /** Plausible code-generation slips, applied to the generated LSTM module's text. */
  const mutations: readonly { what: string; from: string; to: string }[] = [
    {
      what: "the reverse direction runs forwards",
      from: "const t = reverse ? T - 1 - s : s;",
      to: "const t = s;",
    },
    {
      what: "the reverse direction writes the forward half",
      from: "outStride + outOffset",
      to: "outStride",
    },
    { what: "the new h is never swapped in", from: "hBuf = hNextBuf;", to: "hBuf = hBuf;" },
    { what: "tanh is off by 0.1%", from: "Math.tanh(", to: "0.999 * Math.tanh(" },
  ];

  it.each(mutations)(
    "reports a mismatch when, in the generated lstm, $what",
    async ({ from, to }) => {
      // The mutations edit JavaScript, so the JavaScript kernel is the one mutated.
      const v = await load("lstm", "js");
      expect(v.code).toContain(from);
      const mutant = await importKernel(v.code.split(from).join(to));
      const cfg: StackConfig = { ...makeCase("lstm", 5).cfg, layers: 2, bidirectional: true };
      const random = rng(700);
      const stack = makeStack(v.ir, cfg, uniform(random), uniform(random, 1), uniform(random));
      checkAgainstInterpreter(v.ir, v.kernel, stack, cfg, FLOAT32_TOLERANCE, "original");
      expect(() =>
        checkAgainstInterpreter(v.ir, mutant, stack, cfg, FLOAT32_TOLERANCE, "mutant"),
      ).toThrow(/differ/);
    },
  );
});
