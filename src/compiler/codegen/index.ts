// Code generation's front door: IR in, a formatted standalone module (and its .d.ts) out.
import { format } from "prettier";
import type { SourceText } from "../../diagnostics.js";
import { FORMAT_OPTIONS, VERSION } from "../../package-info.js";
import type { CellIR } from "../ir/ir.js";
import { emitDts } from "./emit-dts.js";
import type { Target } from "./target.js";
import { emitModule, moduleHeader, spliceFixedParts } from "./emit-module.js";

export interface GenerateOptions {
  readonly source: SourceText;
  /** Emit a TypeScript module instead of JavaScript plus a `.d.ts`. */
  readonly typed?: boolean;
  /** The passes that produced the IR, for the header. */
  readonly passes: readonly string[];
  /** Run prettier over the output (on by default; code that is only executed can skip it). */
  readonly format?: boolean;
  /** "wasm" (default): WebAssembly SIMD kernels, with the JS kernel as fallback; "js": JS only. */
  readonly target?: Target;
  /**
   * With "wasm": run layers too small to gain from WebAssembly in JavaScript (on by default).
   * Parity tests turn it off so the WebAssembly kernels meet the tiny fixture shapes too.
   */
  readonly tinyLayersInJs?: boolean;
}

export interface GeneratedModule {
  readonly code: string;
  /** The declarations for `code` (for a JavaScript module). */
  readonly dts: string;
}

export async function generateModule(
  ir: CellIR,
  options: GenerateOptions,
): Promise<GeneratedModule> {
  const typed = options.typed ?? false;
  const target = options.target ?? "wasm";
  const moduleOptions = {
    source: options.source,
    typed,
    passes: options.passes,
    version: VERSION,
    target,
    tinyLayersInJs: options.tinyLayersInJs ?? true,
  };
  const module = emitModule(ir, moduleOptions);
  const dts = emitDts(ir, moduleHeader(ir, moduleOptions));
  const withFixedParts = (text: string) => spliceFixedParts(module, text, typed);
  // The declarations are written formatted (test/compiler/golden.test.ts checks it).
  if (options.format === false) return { code: withFixedParts(module.code), dts };
  const code = await formatted(module.code, typed ? "typescript" : "babel");
  return { code: withFixedParts(code), dts };
}

/** Formats generated code; a parse failure here is a compiler bug, reported briefly. */
async function formatted(code: string, parser: "typescript" | "babel"): Promise<string> {
  try {
    return await format(code, { ...FORMAT_OPTIONS, parser });
  } catch (e) {
    const first = String((e as Error).message)
      .split("\n")[0]!
      .slice(0, 200);
    throw new Error(
      `internal: generated ${parser === "babel" ? "JavaScript" : "TypeScript"} does not parse: ${first}`,
    );
  }
}
