// The default target runs layers too small to gain from WebAssembly (an S0-sized LSTM) with the
// JavaScript kernel and larger ones with WebAssembly SIMD. The two kernels round differently, so
// bit-identical outputs show which one ran.
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/compiler/codegen/index.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { compileOrThrow } from "../../src/index.js";
import { type KernelModule, importKernel } from "../../src/kernel.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { cellSource } from "../helpers/cells.js";
import { rng } from "../helpers/random.js";
import { makeStack, uniform } from "./harness.js";

const compiled = compileOrThrow(cellSource("lstm"), {
  file: "cells/lstm.cell",
  passes: PIPELINE,
});

/** `tinyLayersInJs` left out means the default, which is what is under test. */
async function kernel(target: "js" | "wasm", tinyLayersInJs?: boolean): Promise<KernelModule> {
  const { code } = await generateModule(compiled.optIR, {
    source: compiled.source,
    passes: PIPELINE.map((p) => p.name),
    format: false,
    target,
    ...(tinyLayersInJs === undefined ? {} : { tinyLayersInJs }),
  });
  return importKernel(code);
}

function identical(a: Tensor, b: Tensor): boolean {
  return a.data.length === b.data.length && a.data.every((x, i) => Object.is(x, b.data[i]));
}

const base = { layers: 1, bidirectional: false, batchFirst: false, withOptional: true };

describe("default target: JavaScript for tiny layers, WebAssembly otherwise", () => {
  it.each([
    { what: "tiny (I = 4, H = 1: 20 weights per step)", sizes: { I: 4, H: 1 }, tiny: true },
    { what: "small (I = 8, H = 4: 192 weights per step)", sizes: { I: 8, H: 4 }, tiny: false },
  ])("$what", async ({ sizes, tiny }) => {
    const [js, wasm, chosen] = await Promise.all([
      kernel("js"),
      kernel("wasm", false),
      kernel("wasm"),
    ]);
    const stack = makeStack(
      compiled.optIR,
      { ...base, T: 9, B: 3, sizes, withInitial: true },
      uniform(rng(7), 0.9),
    );
    const run = (k: KernelModule) => k.create(stack.weights).forward(stack.input, stack.initial);
    const [byJs, byWasm, byDefault] = [run(js), run(wasm), run(chosen)];
    // Otherwise the comparison below could not tell the kernels apart.
    expect(identical(byJs.output, byWasm.output)).toBe(false);
    expect(identical(byDefault.output, tiny ? byJs.output : byWasm.output)).toBe(true);
    expect(identical(byDefault.output, tiny ? byWasm.output : byJs.output)).toBe(false);
  });
});
