// Hand-written cells that reach code paths the shipped cells do not: concat, conditionals and
// comparisons, scalar params, load-time (weight-only) values, user functions, states that ignore
// themselves or copy each other, outputs that are not states, slices, the less common primitives,
// peepholes and GRU variants. Each is compiled with and without the passes, generated, imported
// and run against the float64 interpreter on the lowered IR over several random stacks.
//
// The kernel stores values in float32 and the oracle computes in float64, so a discontinuity (a
// comparison, select, step) evaluated on a computed value could flip between them. Cells that
// stack layers therefore only use comparisons in continuous combinations (leaky-ReLU-like selects,
// `mask * z`); discontinuous comparisons look only at the raw input and at params, which both sides
// read exactly, in single-layer cells (a layer above reads computed outputs).
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/compiler/codegen/index.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { compileOrThrow } from "../../src/index.js";
import { importKernel } from "../../src/kernel.js";
import type { StackResult } from "../../src/embedded/stack-types.js";
import { rng } from "../helpers/random.js";
import { CELLS, type CustomCell } from "./custom-cell-list.js";
import {
  ALLOCATION,
  FLOAT32_TOLERANCE,
  type Fill,
  PASSES,
  type Passes,
  type StackConfig,
  TIME_LOOP,
  checkAgainstInterpreter,
  compileVariant,
  makeStack,
  timeLoopBodies,
  uniform,
  variantCache,
  withZeros,
} from "./harness.js";

const SEEDS = 4;

interface Case {
  readonly cell: CustomCell;
  readonly seed: number;
  readonly cfg: StackConfig;
  readonly label: string;
}

/** Sizes 1..7, T 1..6, B 1..4; layers 1-3 where the cell stacks, directions and layouts vary. */
function makeCase(cell: CustomCell, sizeNames: readonly string[], seed: number): Case {
  const random = rng(104729 * (seed + 1) + cell.name.length);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const sizes = Object.fromEntries(sizeNames.map((s) => [s, seed === 0 ? 1 : pick(7)]));
  const cfg: StackConfig = {
    layers: cell.stackable ? 1 + ((seed + 1) % 3) : 1,
    bidirectional: (cell.bidirectional ?? true) && seed % 2 === 1,
    batchFirst: seed >= 2,
    T: seed === 0 ? 1 : seed === 1 ? 6 : pick(6),
    B: seed === 0 ? 1 : pick(4),
    sizes,
    withOptional: seed !== 2,
    withInitial: cell.alwaysInitial === true || seed !== 3,
  };
  const sizeText = Object.entries(sizes)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const label =
    `${cell.name} seed ${seed}: ${cfg.layers} layer(s), ${cfg.bidirectional ? "bi" : "uni"}directional, ` +
    `${cfg.batchFirst ? "batch-first" : "seq-first"}, T=${cfg.T} B=${cfg.B} ${sizeText}, ` +
    `${cfg.withOptional ? "optional params" : "fills"}, ${cfg.withInitial ? "initial states" : "zero states"}`;
  return { cell, seed, cfg, label };
}

const compiled = variantCache();
const load = (cell: CustomCell, which: Passes) => compiled(cell.text, `${cell.name}.cell`, which);

/** The size names each cell declares, read from its `size` line. */
function sizeNamesOf(text: string): string[] {
  const line = /^size (.*)$/m.exec(text);
  return line ? line[1]!.split(",").map((s) => s.trim()) : [];
}

/** One row per cell and pass setting; each row runs SEEDS random stacks. */
const ROWS = CELLS.flatMap((cell) => PASSES.map((which) => ({ cell, which, name: cell.name })));

describe("generated kernel vs interpreter on hand-written cells", () => {
  it.each(ROWS)(
    "matches the float64 interpreter when $name runs on random stacks [passes: $which]",
    async ({ cell, which }) => {
      const v = await load(cell, which);
      const wants: StackResult<Float64Array>[] = [];
      const inputs: number[] = [];
      for (let seed = 0; seed < SEEDS; seed++) {
        const { cfg, label } = makeCase(cell, sizeNamesOf(cell.text), seed);
        const random = rng(seed + 900);
        const weights: Fill = uniform(random, 0.6);
        const input: Fill = cell.zeros ? withZeros(random, uniform(random, 1)) : uniform(random, 1);
        const stack = makeStack(v.ir, cfg, weights, input, uniform(random, 0.8));
        const what = `${label} [${v.label}]`;
        const tol = FLOAT32_TOLERANCE;
        wants.push(checkAgainstInterpreter(v.ir, v.kernel, stack, cfg, tol, what).want);
        inputs.push(...stack.input.data);
      }
      cell.premise?.(wants);
      // Comparisons on the raw input see exact zeros and values on both sides of 0.
      if (cell.zeros)
        for (const sign of [-1, 0, 1]) expect(inputs.some((x) => Math.sign(x) === sign)).toBe(true);
    },
  );

  it.each(CELLS.filter((c) => c.stages))(
    "puts values in the intended stages when $name is optimised",
    async (cell) => {
      const { optIR } = await load(cell, "pipeline");
      for (const [hint, stage] of Object.entries(cell.stages!)) {
        const node = optIR.nodes.find((n) => n.hint === hint);
        expect(node?.stage, `stage of ${hint}`).toBe(stage);
      }
    },
  );

  it.each(ROWS)(
    "allocates nothing inside the time loop when $name is generated [passes: $which]",
    async ({ cell, which }) => {
      const v = await load(cell, which);
      const bodies = timeLoopBodies(v.code);
      // One time loop per kernel: the JavaScript one, and the WebAssembly one where it applies.
      expect(bodies.length, "time loops").toBeGreaterThanOrEqual(1);
      for (const body of bodies) expect(ALLOCATION.exec(body)?.[0], "allocation").toBeUndefined();
    },
  );
});

/**
 * Minimal reproductions of what the suite above finds with `passes: []` (the CLI's `--passes none`,
 * or `--passes dce`): without the hoist pass every computed node is scheduled at the step stage,
 * which the code generator cannot emit for a scalar or a matrix. `Stage` in ir.ts says an absent
 * stage means "every step", which is always correct, so the kernel should still be generated.
 */
describe("code generation without the hoist pass", () => {
  const tiny: StackConfig = {
    layers: 1,
    bidirectional: false,
    batchFirst: false,
    T: 2,
    B: 1,
    sizes: { I: 2, H: 2 },
    withOptional: true,
    withInitial: true,
  };
  const cases = [
    {
      what: "a scalar is computed from constants (h * -1)",
      text: "cell negate\nsize I, H\ninput x : [I]\nstate h : [H]\nparam W : [H, I]\nh' = tanh(W @ x) + h * -1\noutput h'\n",
    },
    {
      what: "a matrix is computed from a weight ((2 * W) @ x)",
      text: "cell scaled\nsize I, H\ninput x : [I]\nstate h : [H]\nparam W : [H, I]\nh' = tanh((2 * W) @ x) + h\noutput h'\n",
    },
  ];
  for (const passes of [[], PIPELINE.filter((p) => p.name === "dce")]) {
    const label = passes.map((p) => p.name).join(", ") || "none";
    it.each(cases)(
      `generates a kernel that matches the interpreter when $what [passes: ${label}]`,
      async ({ text }) => {
        const { ir, optIR, source } = compileOrThrow(text, { file: "repro.cell", passes });
        const module = await generateModule(optIR, {
          source,
          passes: passes.map((p) => p.name),
          format: false,
        });
        const kernel = await importKernel(module.code);
        const random = rng(1);
        const stack = makeStack(ir, tiny, uniform(random), uniform(random, 1), uniform(random));
        checkAgainstInterpreter(ir, kernel, stack, tiny, FLOAT32_TOLERANCE, "repro");
      },
    );
  }
});

describe("time-loop allocation check", () => {
  const lstm = `cell l\nsize I, H\ninput x : [I]\nstate h : [H]\nparam W : [H, I]\nparam U : [H, H]\nh' = tanh(W @ x + U @ h)  # { } for (let s = 0; s < T; s++) { new Float32Array(1) }\noutput h'\n`;

  it("finds the loop but no allocation when braces and a loop header sit in copied comments", async () => {
    const { code } = await compileVariant(lstm, "l.cell", {}, "js");
    // The odd comment is really copied into the module, loop header and all.
    expect(code.split(TIME_LOOP).length - 1).toBeGreaterThan(1);
    const bodies = timeLoopBodies(code);
    expect(bodies.length).toBe(1);
    expect(bodies[0]).toContain("hNextBuf");
    expect(ALLOCATION.exec(bodies[0]!)).toBeNull();
  });

  it.each(["new Float32Array(H)", "xs.subarray(0, 1)", "Array.from(hBuf)", "[1].map((v) => v)"])(
    "reports an allocation when the time loop holds %s",
    async (allocation) => {
      const { code } = await compileVariant(lstm, "l.cell", {}, "js");
      const at = code.indexOf("const t = reverse ? T - 1 - s : s;");
      expect(at).toBeGreaterThan(0);
      const changed = `${code.slice(0, at)}void ${allocation};\n${code.slice(at)}`;
      const bodies = timeLoopBodies(changed);
      expect(bodies.length).toBe(1);
      expect(ALLOCATION.exec(bodies[0]!)).not.toBeNull();
    },
  );

  it("matches nested blocks to the loop's own closing brace when the loop holds blocks", () => {
    const code = `a(); for (let s = 0; s < T; s++) { if (x) { y("}"); } /* } */ z(); } new Float32Array(1);`;
    const [body] = timeLoopBodies(code);
    expect(body).toContain("z()");
    expect(body).not.toContain("Float32Array");
  });
});
