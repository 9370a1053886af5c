// Shared by the code-generation suites: compiles a cell with and without the optimisation passes,
// generates and imports each module once, builds random PyTorch-style stacks for any cell from its
// declared shapes, and compares the float32 kernel with the float64 interpreter.
import { expect } from "vitest";
import { generateModule } from "../../src/compiler/codegen/index.js";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { referenceForward } from "../../src/compiler/reference.js";
import { type KernelModule, importKernel } from "../../src/kernel.js";
import { evalSize, formatSize } from "../../src/shared/size.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { compileOrThrow } from "../../src/index.js";
import { randomTensor } from "../helpers/random.js";

/**
 * The kernel keeps every value it stores (states, GEMM results, buffers, load-time values) in
 * float32, rounding each to within u = 2^-24 relative, and computes in float64 in between; the
 * oracle rounds nothing. Along a dependency chain of at most 6 steps x 3 layers with a handful of
 * stores per step, rounding adds up to some 50u ~ 3e-6 for values of order 1, more where a cell
 * cancels or multiplies by large weights. Measured: the shipped cells with their own activations
 * stay below 1e-7, the custom cells below 3e-6, and every case here still passes with this bound
 * divided by 10 (at 1/50 the relu RNN with large weights and the hoisted cell start to fail). So
 * the bound has a 10x margin over float32 noise and is still far below what a real mistake does: a
 * wrong gate block, bias, time index or direction moves outputs by 1e-3 or more, as the negative
 * controls and mutants in kernel-vs-interpreter.test.ts show (a tanh off by 0.1% is caught).
 */
export const FLOAT32_TOLERANCE = { atol: 1e-5, rtol: 1e-4 } as const;

export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/**
 * The full optimisation pipeline or none at all (`cellc compile --passes none`), both with the
 * default target (WebAssembly SIMD, JavaScript as fallback), and the pipeline with `--target js`.
 */
export type Passes = "pipeline" | "none" | "js";
export const PASSES: readonly Passes[] = ["pipeline", "none", "js"];

export interface Variant {
  /** The IR as lowered: what the oracle interprets. */
  readonly ir: CellIR;
  /** "dce, hoist" or "no passes", for messages. */
  readonly label: string;
  readonly passes: readonly string[];
  readonly optIR: CellIR;
  readonly code: string;
  readonly kernel: KernelModule;
}

/** Compiles `text` with the full pipeline or with no passes, generates the module, imports it. */
export async function compileVariant(
  text: string,
  file: string,
  activations: Readonly<Record<string, string>>,
  which: Passes,
): Promise<Variant> {
  const passes = which === "none" ? [] : PIPELINE;
  const compiled = compileOrThrow(text, { file, activations, passes });
  const names = passes.map((p) => p.name);
  const target = which === "js" ? "js" : "wasm";
  const { code } = await generateModule(compiled.optIR, {
    source: compiled.source,
    passes: names,
    format: false,
    target,
    tinyLayersInJs: false,
  });
  return {
    ir: compiled.ir,
    label: `${names.join(", ") || "no passes"} (${target})`,
    passes: names,
    optIR: compiled.optIR,
    code,
    kernel: await importKernel(code),
  };
}

/** Caches `compileVariant`, so each module is generated and imported once per test file. */
export function variantCache(): (
  text: string,
  file: string,
  which: Passes,
  activations?: Readonly<Record<string, string>>,
) => Promise<Variant> {
  const cache = new Map<string, Promise<Variant>>();
  return (text, file, which, activations = {}) => {
    const key = `${file}\n${which}\n${JSON.stringify(activations)}\n${text}`;
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = compileVariant(text, file, activations, which)));
    return hit;
  };
}

// ----------------- random stacks for any cell -----------------

export type Fill = (shape: readonly number[]) => Tensor<Float32Array>;

export interface StackConfig {
  readonly layers: number;
  readonly bidirectional: boolean;
  readonly batchFirst: boolean;
  readonly T: number;
  readonly B: number;
  /** Layer 0's sizes, the input's size included. */
  readonly sizes: Readonly<Record<string, number>>;
  /** Whether the optional params (those with a fill) are given; false leaves them all out. */
  readonly withOptional: boolean;
  readonly withInitial: boolean;
  /** Plain names (`weight_ih`, as nn.LSTMCell saves them) instead of `_l0`; one forward layer only. */
  readonly plainNames?: boolean;
}

export interface Stack {
  readonly weights: Map<string, Tensor>;
  readonly input: Tensor<Float32Array>;
  readonly initial: Record<string, Tensor>;
  readonly outputShape: readonly number[];
  readonly stateShapes: Readonly<Record<string, readonly number[]>>;
  /** Per-sample sequence lengths for the forward (`{ lengths }`), when the test gives them. */
  readonly lengths?: Int32Array;
}

function concrete(
  ir: CellIR,
  shape: CellIR["params"][number]["shape"],
  sizes: Map<string, number>,
) {
  return shape.map((d) => {
    const n = evalSize(d, sizes);
    if (n === null) throw new Error(`test setup: size ${formatSize(d)} of '${ir.name}' unbound`);
    return n;
  });
}

/** The name of the input's size, which layer k > 0 sets to D times the output size. */
function inputSizeName(ir: CellIR): string {
  const dim = ir.inputs[0]!.shape[0]!;
  const term = dim.terms[0];
  if (dim.constant !== 0 || dim.terms.length !== 1 || term!.coeff !== 1)
    throw new Error(`test setup: the input of '${ir.name}' is not a plain size`);
  return term!.name;
}

/** Weights, input and initial states for `cfg`, with shapes from the cell's declarations. */
export function makeStack(
  ir: CellIR,
  cfg: StackConfig,
  weightFill: Fill,
  inputFill: Fill = weightFill,
  stateFill: Fill = weightFill,
): Stack {
  const D = cfg.bidirectional ? 2 : 1;
  if (cfg.plainNames && (cfg.layers !== 1 || D !== 1))
    throw new Error("test setup: plain names mean one forward layer");
  const outDim = ir.nodes[ir.output]!.shape[0]!;
  const weights = new Map<string, Tensor>();
  let sizes = new Map(Object.entries(cfg.sizes));
  const layer0 = sizes;
  for (let k = 0; k < cfg.layers; k++) {
    if (k > 0) {
      sizes = new Map(sizes);
      sizes.set(inputSizeName(ir), D * evalSize(outDim, layer0)!);
    }
    for (let d = 0; d < D; d++) {
      const suffix = cfg.plainNames ? "" : `_l${k}${d === 1 ? "_reverse" : ""}`;
      let given = 0;
      ir.params.forEach((p, i) => {
        // Leave out the optional ones when asked, but keep at least one tensor per layer (the
        // layers are found from the names); the fill is then used for the rest.
        const last = i === ir.params.length - 1 && given === 0;
        if (p.fill !== null && !cfg.withOptional && !last) return;
        weights.set(`${p.name}${suffix}`, weightFill(concrete(ir, p.shape, sizes)));
        given++;
      });
    }
  }
  const I = evalSize(ir.inputs[0]!.shape[0]!, layer0)!;
  const input = inputFill(cfg.batchFirst ? [cfg.B, cfg.T, I] : [cfg.T, cfg.B, I]);
  const stateShapes: Record<string, number[]> = {};
  const initial: Record<string, Tensor> = {};
  for (const s of ir.states) {
    const shape = [cfg.layers * D, cfg.B, evalSize(s.shape[0]!, layer0)!];
    stateShapes[s.name] = shape;
    if (cfg.withInitial) initial[s.name] = stateFill(shape);
  }
  const out = D * evalSize(outDim, layer0)!;
  const outputShape = cfg.batchFirst ? [cfg.B, cfg.T, out] : [cfg.T, cfg.B, out];
  return { weights, input, initial, outputShape, stateShapes };
}

/**
 * B random sequence lengths from 1 to T; when T > 1, the first sample's is shorter than T, so
 * there is always padding (and the last sample's is T, as a padded batch has).
 */
export function randomLengths(random: () => number, T: number, B: number): Int32Array {
  const lengths = Int32Array.from({ length: B }, () => 1 + Math.floor(random() * T));
  if (T > 1) lengths[0] = 1 + Math.floor(random() * (T - 1));
  if (B > 1) lengths[B - 1] = T;
  return lengths;
}

/** Uniform random float32 values in [-scale, scale). */
export const uniform =
  (random: () => number, scale = 0.5): Fill =>
  (shape) =>
    randomTensor(random, shape, scale);

/** Whole numbers drawn uniformly from lo..hi, exactly representable in float32. */
export const integers =
  (random: () => number, lo: number, hi: number): Fill =>
  (shape) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = lo + Math.floor(random() * (hi - lo + 1));
    return { data, shape: [...shape] };
  };

/** `fill`, with about a quarter of the entries set to exactly 0 (for comparisons with 0). */
export const withZeros =
  (random: () => number, fill: Fill): Fill =>
  (shape) => {
    const t = fill(shape);
    for (let i = 0; i < t.data.length; i++) if (random() < 0.25) t.data[i] = 0;
    return t;
  };

// ----------------- the comparison -----------------

export function expectShape(t: Tensor, shape: readonly number[], what: string): void {
  expect([...t.shape], `${what}: shape`).toEqual([...shape]);
  expect(t.data.length, `${what}: element count`).toBe(shape.reduce((p, d) => p * d, 1));
}

/** |got - want| <= atol + rtol * |want| everywhere; NaN only where the oracle has NaN. */
export function expectClose(got: Tensor, want: Tensor, tol: Tolerance, what: string): void {
  expectShape(got, want.shape, what);
  let worst = -1;
  let worstExcess = 0;
  let failures = 0;
  for (let i = 0; i < want.data.length; i++) {
    const [g, w] = [got.data[i]!, want.data[i]!];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (!Number.isFinite(w) && g === w) continue;
    const excess = Math.abs(g - w) - (tol.atol + tol.rtol * Math.abs(w));
    if (!(excess <= 0)) {
      failures++;
      if (worst < 0 || !(excess <= worstExcess)) [worst, worstExcess] = [i, excess];
    }
  }
  const detail =
    worst < 0
      ? ""
      : `${what}: ${failures} of ${want.data.length} elements differ; worst at flat index ${worst}: ` +
        `kernel ${got.data[worst]}, interpreter ${want.data[worst]}`;
  expect(failures, detail).toBe(0);
}

export type KernelResult = ReturnType<ReturnType<KernelModule["create"]>["forward"]>;

/**
 * Runs `kernel` and the interpreter on the lowered IR over the same stack, checks the output and
 * every final state: float32 data, the exact shapes PyTorch gives, values within `tol`.
 */
export function checkAgainstInterpreter(
  ir: CellIR,
  kernel: KernelModule,
  stack: Stack,
  cfg: Pick<StackConfig, "batchFirst">,
  tol: Tolerance,
  label: string,
  /** What the kernel is given, when a negative control feeds it something else. */
  kernelStack: Stack = stack,
): { got: KernelResult; want: ReturnType<typeof referenceForward> } {
  const options = { batchFirst: cfg.batchFirst };
  const lengths = stack.lengths ? { lengths: stack.lengths } : {};
  const want = referenceForward(ir, stack.weights, stack.input, stack.initial, {
    ...options,
    ...lengths,
  });
  const kernelLengths = kernelStack.lengths ? { lengths: kernelStack.lengths } : {};
  const got = kernel
    .create(kernelStack.weights, options)
    .forward(kernelStack.input, kernelStack.initial, kernelLengths);
  expect(got.output.data, `${label}: output dtype`).toBeInstanceOf(Float32Array);
  expectShape(want.output, stack.outputShape, `${label}: interpreter output`);
  expectShape(got.output, stack.outputShape, `${label}: output`);
  expectClose(got.output, want.output, tol, `${label}: output`);
  expect(Object.keys(got.states).sort(), `${label}: state names`).toEqual(
    ir.states.map((s) => s.name).sort(),
  );
  for (const s of ir.states) {
    const [g, w] = [got.states[s.name]!, want.states[s.name]!];
    expect(g.data, `${label}: state ${s.name} dtype`).toBeInstanceOf(Float32Array);
    expectShape(g, stack.stateShapes[s.name]!, `${label}: state ${s.name}`);
    expectClose(g, w, tol, `${label}: state ${s.name}`);
  }
  return { got, want };
}

// ----------------- the generated code -----------------

/**
 * `code` with the text of every comment and string literal blanked out (same length, newlines
 * kept), so that braces or loop headers in copied source lines are not taken for code.
 */
export function codeOnly(code: string): string {
  const out = code.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== "\n") out[k] = " ";
  };
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === "/" && code[i + 1] === "/") {
      const end = code.indexOf("\n", i);
      const stop = end < 0 ? code.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      if (end < 0) throw new Error("test setup: unterminated block comment");
      blank(i, end + 2);
      i = end + 1;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      for (; j < code.length && code[j] !== c; j++) if (code[j] === "\\") j++;
      blank(i + 1, j);
      i = j;
    }
  }
  return out.join("");
}

/** The body of the block that opens at `open` (the index of a `{`) in comment-free code. */
export function blockBody(code: string, open: number): string {
  if (code[open] !== "{") throw new Error(`test setup: no '{' at ${open}`);
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === "{") depth++;
    else if (code[i] === "}" && --depth === 0) return code.slice(open + 1, i);
  }
  throw new Error("test setup: unbalanced braces");
}

export const TIME_LOOP = "for (let s = 0; s < T; s++)";

/** The bodies of every time loop in `code` (one per layer kernel), comments and strings blanked. */
export function timeLoopBodies(code: string): string[] {
  const text = codeOnly(code);
  const bodies: string[] = [];
  for (let at = text.indexOf(TIME_LOOP); at >= 0; at = text.indexOf(TIME_LOOP, at + 1)) {
    bodies.push(blockBody(text, text.indexOf("{", at + TIME_LOOP.length)));
  }
  return bodies;
}

/** Expressions that allocate: typed arrays and other objects, copies, closures. */
export const ALLOCATION = /\bnew\s+[A-Za-z_$]|\.slice\(|\.subarray\(|\bArray\.from\(|\.map\(|=>/;
