// Matches a call's arguments to a function's parameters, Python-style: positional first, then
// named ones, then defaults for the rest.
import type { Diagnostic, Span } from "../../diagnostics.js";
import type { Argument } from "../../dsl/ast.js";
import type { ParamSpec } from "./builtins.js";
import { badArgument, missingArguments, wrongArgumentCount } from "../errors.js";
import type { BoundArg } from "./resolution.js";

export function describeArity(params: readonly ParamSpec[]): string {
  const required = params.filter((p) => p.default === null).length;
  const total = params.length;
  const count = (n: number) => (n === 0 ? "no arguments" : `${n} argument${n === 1 ? "" : "s"}`);
  if (required === total) return count(total);
  return `${required} to ${total} arguments`;
}

export function bindArguments(
  what: string,
  params: readonly ParamSpec[],
  args: readonly Argument[],
  callSpan: Span,
  diagnostics: Diagnostic[],
): BoundArg[] | null {
  const bound: (BoundArg | undefined)[] = new Array(params.length).fill(undefined);
  let ok = true;
  let sawNamed = false;
  args.forEach((arg, i) => {
    if (arg.name === null) {
      if (sawNamed) {
        diagnostics.push(
          badArgument("a positional argument cannot follow a named one", arg.value.span),
        );
        ok = false;
      } else if (i < params.length) bound[i] = { expr: arg.value };
      return;
    }
    sawNamed = true;
    const index = params.findIndex((p) => p.name === arg.name!.name);
    if (index < 0) {
      diagnostics.push(badArgument(`${what} has no parameter '${arg.name.name}'`, arg.name.span));
      ok = false;
    } else if (bound[index] !== undefined) {
      diagnostics.push(badArgument(`parameter '${arg.name.name}' is given twice`, arg.name.span));
      ok = false;
    } else bound[index] = { expr: arg.value };
  });
  const positional = args.filter((a) => a.name === null).length;
  if (positional > params.length) {
    diagnostics.push(wrongArgumentCount(what, describeArity(params), args.length, callSpan));
    return null;
  }
  const missing = params.filter((p, i) => bound[i] === undefined && p.default === null);
  if (ok && missing.length > 0) {
    const names = missing.map((p) => p.name);
    diagnostics.push(missingArguments(what, names, describeArity(params), callSpan));
    return null;
  }
  if (!ok) return null;
  return params.map((p, i) => bound[i] ?? { value: p.default! });
}
