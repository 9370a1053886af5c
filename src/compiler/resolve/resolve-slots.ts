// Binds each activation slot to a function: the file's default, or an override from outside
// (`--act gate=hard_sigmoid(0.25, 0.5)`). A binding names a function and the values of its
// parameters after the first (constant expressions, like `1/4`); the rest come from the
// function's defaults.
import type { Diagnostic, SourceText } from "../../diagnostics.js";
import type { ActivationSpec, DeclOf } from "../../dsl/ast.js";
import type { ParamSpec } from "./builtins.js";
import { describeArity } from "./call-args.js";
import { constantValue } from "./constants.js";
import * as E from "../errors.js";
import { describeSymbol, type SlotTarget, type Symbol } from "./resolution.js";
import { fnParamSpecs } from "./resolve-expr.js";
import { suggestion } from "./suggest.js";
import { type Scope, lookup } from "./symbols.js";

export interface SlotOverride {
  readonly slot: string;
  readonly spec: ActivationSpec;
  /** The text the spec's spans point into: the spec itself, named `--act SLOT`. */
  readonly source: SourceText;
}

function calleeOf(symbol: Symbol | undefined): SlotTarget["callee"] | null {
  if (symbol?.kind === "fn") return { kind: "fn", decl: symbol.decl };
  if (
    symbol?.kind === "primitive" &&
    symbol.prim.kind !== "split" &&
    symbol.prim.kind !== "concat"
  ) {
    return { kind: "primitive", prim: symbol.prim };
  }
  return null;
}

function paramsOf(callee: SlotTarget["callee"]): readonly ParamSpec[] {
  return callee.kind === "fn" ? fnParamSpecs(callee.decl) : callee.prim.params;
}

function bindSlot(
  slot: string,
  spec: ActivationSpec,
  source: SourceText | undefined,
  scopes: readonly Scope[],
  used: Set<Symbol>,
  report: (d: Diagnostic) => void,
  reported: readonly Diagnostic[],
): SlotTarget | null {
  const name = spec.name.name;
  const symbol = lookup(scopes, name);
  const callee = calleeOf(symbol);
  if (!symbol) {
    const candidates = () =>
      scopes.flatMap((s) => [...s].filter(([, v]) => calleeOf(v)).map(([k]) => k));
    report(E.unknownActivation(name, spec.name.span, suggestion(name, candidates, reported)));
    return null;
  }
  if (!callee) {
    const what =
      symbol.kind === "primitive"
        ? "a built-in that works on whole vectors"
        : describeSymbol(symbol);
    report(E.notAnActivation(name, what, spec.name.span));
    return null;
  }
  used.add(symbol);
  const params = paramsOf(callee);
  if (params.length === 0) {
    report(E.notAnActivation(name, "a function without parameters", spec.name.span));
    return null;
  }
  const extraParams = params.slice(1);
  const missing = extraParams.slice(spec.args.length).filter((p) => p.default === null);
  if (spec.args.length > extraParams.length) {
    const expected = `${describeArity(extraParams)} after the input`;
    report(E.wrongArgumentCount(`activation '${name}'`, expected, spec.args.length, spec.span));
    return null;
  }
  if (missing.length > 0) {
    const names = missing.map((p) => p.name);
    const arity = `${describeArity(extraParams)} after the input`;
    report(E.missingArguments(`activation '${name}'`, names, arity, spec.span));
    return null;
  }
  let constant = true;
  const notConstant = (d: Diagnostic): void => {
    constant = false;
    report(d);
  };
  const extra = extraParams.map((p, i) => {
    const arg = spec.args[i];
    const what = `argument '${p.name}' of activation '${name}'`;
    return arg ? constantValue(arg, what, notConstant) : p.default!;
  });
  const binding = source ? { span: spec.span, source } : { span: spec.span };
  return constant ? { slot, activation: name, callee, extra, binding } : null;
}

export function resolveSlots(
  slotDecls: readonly DeclOf<"Slot">[],
  overrides: readonly SlotOverride[],
  scopes: readonly Scope[],
  used: Set<Symbol>,
  diagnostics: Diagnostic[],
): Map<string, SlotTarget> {
  const known = slotDecls.map((d) => d.name.name);
  const slotNames = new Set(known);
  const byName = new Map(overrides.map((o) => [o.slot, o]));
  for (const o of overrides) {
    if (!slotNames.has(o.slot))
      diagnostics.push({ ...E.unknownSlot(o.slot, known, null), source: o.source });
  }
  const targets = new Map<string, SlotTarget>();
  for (const d of slotDecls) {
    const override = byName.get(d.name.name);
    const report = (diag: Diagnostic) =>
      diagnostics.push(override ? { ...diag, source: override.source } : diag);
    // The file's own binding must be valid even when overridden: a file is right or wrong by itself.
    const push = (diag: Diagnostic) => diagnostics.push(diag);
    const own = bindSlot(d.name.name, d.binding, undefined, scopes, used, push, diagnostics);
    const target = override
      ? bindSlot(d.name.name, override.spec, override.source, scopes, used, report, diagnostics)
      : own;
    if (target) targets.set(d.name.name, target);
  }
  return targets;
}
