// Runs an exported model in ONNX Runtime (WebAssembly, in Node) and cellc's kernel on the same
// random stack, and compares them: the output and every final state, within EXPORT_TOLERANCE.
// The model is sequence-first; a batch-first case is transposed here, on the user's side.
import * as ort from "onnxruntime-web";
import { expect } from "vitest";
import { exportOnnx, type ExportedModel } from "../../src/interop/onnx-export/export-model.js";
import type { GraphProto } from "../../src/interop/onnx/types.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { rng } from "../helpers/random.js";
import {
  expectClose,
  expectShape,
  type Fill,
  makeStack,
  randomLengths,
  uniform,
  type Variant,
  withZeros,
} from "../codegen/harness.js";

ort.env.logLevel = "error";

/**
 * Both sides compute in float32 (the kernel in float64 between its float32 stores); ONNX Runtime
 * uses its own sigmoid/tanh approximations in the fused operators. Measured worst differences
 * are near 3e-7 for values of order 1; the bound leaves a 30x margin and grows with the value.
 */
export const EXPORT_TOLERANCE = { atol: 1e-5, rtol: 1e-5 } as const;

export interface ExportCase {
  readonly layers: number;
  readonly bidirectional: boolean;
  readonly batchFirst: boolean;
  readonly T: number;
  readonly B: number;
  readonly sizes: Readonly<Record<string, number>>;
  readonly lengths: boolean;
  readonly initial: boolean;
  readonly withOptional: boolean;
  /** Exact zeros in the input (cells that compare the raw input with 0). */
  readonly zeros?: boolean;
}

export interface Measured {
  readonly exported: ExportedModel;
  /** The largest |onnx - kernel| over the output and the final states (NaN and inf excluded). */
  readonly maxError: number;
}

/** (a, b, F) -> (b, a, F). */
function swap01(t: Tensor): Tensor<Float32Array> {
  const [a, b, F] = t.shape as [number, number, number];
  const out = new Float32Array(a * b * F);
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      out.set(t.data.subarray((i * b + j) * F, (i * b + j + 1) * F), (j * a + i) * F);
  return { data: out, shape: [b, a, F] };
}

const ortFloat = (t: Tensor): ort.Tensor =>
  new ort.Tensor("float32", Float32Array.from(t.data), [...t.shape]);

/** Runs `bytes` in ONNX Runtime; returns every output as a float32 tensor. */
export async function runOnnx(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<Record<string, Tensor<Float32Array>>> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  try {
    const out = await session.run(feeds);
    const tensors = Object.entries(out).map(([name, t]) => {
      const data = t.data as Float32Array;
      return [name, { data, shape: t.dims.map(Number) }] as const;
    });
    return Object.fromEntries(tensors);
  } finally {
    await session.release();
  }
}

/** The initializers of `graph` and its subgraphs (Scan bodies) that no node reads. */
export function unusedInitializers(graph: GraphProto): string[] {
  const read = new Set(graph.node.flatMap((n) => n.input));
  const subgraphs = graph.node.flatMap((n) => n.attribute.flatMap((a) => (a.g ? [a.g] : [])));
  return [
    ...graph.initializer.map((t) => t.name!).filter((name) => !read.has(name)),
    ...subgraphs.flatMap(unusedInitializers),
  ];
}

function maxError(got: Tensor, want: Tensor): number {
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const d = Math.abs(got.data[i]! - want.data[i]!);
    if (Number.isFinite(d)) worst = Math.max(worst, d);
  }
  return worst;
}

/** Exports `v` over a random stack for `cfg`, runs both sides, compares; seeded by `seed`. */
export async function checkExport(
  v: Variant,
  cfg: ExportCase,
  seed: number,
  label: string,
  /** Changes the random weights before both sides see them. */
  edit: (weights: Map<string, Tensor>) => Map<string, Tensor> = (w) => w,
): Promise<Measured> {
  const random = rng(seed);
  const input: Fill = cfg.zeros ? withZeros(random, uniform(random, 1)) : uniform(random, 1);
  const made = makeStack(
    v.ir,
    { ...cfg, withInitial: cfg.initial },
    uniform(random, 0.6),
    input,
    uniform(random, 0.8),
  );
  const stack = { ...made, weights: edit(made.weights) };
  const lengths = cfg.lengths ? randomLengths(random, cfg.T, cfg.B) : null;
  const want = v.kernel
    .create(stack.weights, { batchFirst: cfg.batchFirst })
    .forward(stack.input, stack.initial, lengths ? { lengths } : {});
  const I = stack.input.shape[2]!;
  const exported = exportOnnx(v.optIR, stack.weights, {
    lengths: cfg.lengths,
    initialStates: cfg.initial,
    ...(v.ir.params.length === 0 ? { inputSize: I } : {}),
  });
  const feeds: Record<string, ort.Tensor> = {
    X: ortFloat(cfg.batchFirst ? swap01(stack.input) : stack.input),
  };
  if (lengths) feeds["sequence_lens"] = new ort.Tensor("int32", lengths, [cfg.B]);
  for (const [name, t] of Object.entries(stack.initial)) feeds[`initial_${name}`] = ortFloat(t);
  expect(unusedInitializers(exported.model.graph!), `${label}: unused initializers`).toEqual([]);
  const got = await runOnnx(exported.bytes, feeds);
  const output = cfg.batchFirst ? swap01(got["output"]!) : got["output"]!;
  expectShape(output, stack.outputShape, `${label}: output`);
  expectClose(output, want.output, EXPORT_TOLERANCE, `${label}: output`);
  let worst = maxError(output, want.output);
  for (const s of v.ir.states) {
    const state = got[`${s.name}_n`]!;
    expectShape(state, stack.stateShapes[s.name]!, `${label}: ${s.name}_n`);
    expectClose(state, want.states[s.name]!, EXPORT_TOLERANCE, `${label}: ${s.name}_n`);
    worst = Math.max(worst, maxError(state, want.states[s.name]!));
  }
  expect(Object.keys(got).sort()).toEqual(
    ["output", ...v.ir.states.map((s) => `${s.name}_n`)].sort(),
  );
  return { exported, maxError: worst };
}
