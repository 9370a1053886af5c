// The compiler's front door: source text in, diagnostics and IR out. Phases stop at the first one
// that reports errors, so later phases only ever see well-formed input.
import { CompileError, type Diagnostic, DiagnosticBag, type SourceText } from "./diagnostics.js";
import type { CellFile } from "./dsl/ast.js";
import { parseActivationSpec, parseCell } from "./dsl/parse.js";
import type { CellIR } from "./compiler/ir/ir.js";
import { lower } from "./compiler/lower-cell.js";
import { type SlotOverride, resolve } from "./compiler/resolve/resolve.js";
import { library } from "./compiler/resolve/resolve-library.js";
import { verifyIR } from "./compiler/ir/verify.js";
import { type Pass, PIPELINE, runPipeline } from "./compiler/passes/index.js";

export interface CompileOptions {
  /** The file name diagnostics and generated code mention. */
  readonly file?: string;
  /**
   * Activation-slot overrides by slot name, e.g. `{ gate: "hard_sigmoid(0.25, 0.5)" }`: an
   * object's own properties (a `__proto__` key written in an object literal sets its prototype
   * and is no property), or a Map.
   */
  readonly activations?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** How diagnostics name an override's text; the CLI says `--act gate`. */
  readonly activationLabel?: (slot: string) => string;
  /** Check the IR's invariants after lowering and after every pass (cheap; on unless turned off). */
  readonly verify?: boolean;
  /** The optimization passes to run, in order; the full pipeline by default. */
  readonly passes?: readonly Pass[];
  /** Receives the IR after each pass (`cellc ir --after PASS`). */
  readonly dump?: (pass: string, ir: CellIR) => void;
}

export interface CompileResult {
  readonly source: SourceText;
  readonly diagnostics: readonly Diagnostic[];
  readonly ast?: CellFile;
  /** The IR as lowered from the source. */
  readonly ir?: CellIR;
  /** The IR after the optimization passes: what code generation reads. */
  readonly optIR?: CellIR;
}

export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const source: SourceText = { name: options.file ?? "<input>", text };
  const bag = new DiagnosticBag();
  const done = (extra: Partial<CompileResult> = {}): CompileResult => ({
    source,
    diagnostics: bag.all,
    ...extra,
  });

  const parsed = parseCell(text);
  bag.addAll(parsed.diagnostics);
  const label = options.activationLabel ?? ((slot: string) => `activations.${slot}`);
  const overrides = parseOverrides(options.activations ?? {}, label, bag);
  if (!parsed.file || bag.hasErrors) return done();
  const ast = parsed.file;

  const resolved = resolve(ast, overrides);
  bag.addAll(resolved.diagnostics);
  if (!resolved.resolution || bag.hasErrors) return done({ ast });

  const lowered = lower(resolved.resolution, source.name, library().fns);
  bag.addAll(lowered.diagnostics);
  if (!lowered.ir || bag.hasErrors) return done({ ast });
  const verify = options.verify ?? true;
  if (verify) verifyIR(lowered.ir, "after lowering");
  const ctx = { verify, ...(options.dump ? { dump: options.dump } : {}) };
  const optIR = runPipeline(lowered.ir, ctx, options.passes ?? PIPELINE);
  return done({ ast, ir: lowered.ir, optIR });
}

/** Like `compile`, but throws a CompileError (with every diagnostic) unless there is IR. */
export function compileOrThrow(
  text: string,
  options: CompileOptions = {},
): CompileResult & { ir: CellIR; optIR: CellIR } {
  const result = compile(text, options);
  if (!result.ir || !result.optIR) throw new CompileError(result.diagnostics, result.source);
  return result as CompileResult & { ir: CellIR; optIR: CellIR };
}

function parseOverrides(
  activations: NonNullable<CompileOptions["activations"]>,
  label: (slot: string) => string,
  bag: DiagnosticBag,
): SlotOverride[] {
  const overrides: SlotOverride[] = [];
  // Own properties only, so nothing inherited (`toString`) passes for an override.
  const entries = activations instanceof Map ? [...activations] : Object.entries(activations);
  for (const [slot, spec] of entries) {
    // JavaScript callers may pass anything; its text is then what fails to parse.
    const source: SourceText = { name: label(slot), text: String(spec) };
    const parsed = parseActivationSpec(source);
    bag.addAll(parsed.diagnostics);
    if (parsed.spec) overrides.push({ slot, spec: parsed.spec, source });
  }
  return overrides;
}

export { CompileError, formatDiagnostic, formatShort } from "./diagnostics.js";
export type { Diagnostic, SourceText, Span } from "./diagnostics.js";
export type { CellIR, Node, ValueId } from "./compiler/ir/ir.js";
export { printIR } from "./compiler/ir/print-ir.js";
export { verifyIR } from "./compiler/ir/verify.js";
export { PIPELINE, runPipeline, type Pass } from "./compiler/passes/index.js";
export { generateModule, type GeneratedModule } from "./compiler/codegen/index.js";
export { referenceForward } from "./compiler/reference.js";
export { importKernel, loadKernel, type KernelModule, type Model } from "./kernel.js";
