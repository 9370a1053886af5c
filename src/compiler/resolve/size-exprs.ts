// Turns the size expressions written in shapes (`4*H`, `H + I`) into canonical linear sizes.
// Sizes stay linear with whole coefficients, so every size can be solved from a weight's shape.
import type { Diagnostic } from "../../diagnostics.js";
import type { CellFile, ShapeExpr, SizeExpr } from "../../dsl/ast.js";
import {
  type Shape,
  type Size,
  addSizes,
  isConstSize,
  scaleSize,
  sizeConst,
  sizeVar,
  subSizes,
} from "../../shared/size.js";
import { badSize, sizeNotLearnable, unknownName, unusedSize } from "../errors.js";
import { describeSymbol } from "./resolution.js";
import type { Scope } from "./symbols.js";
import { suggestion } from "./suggest.js";

export function resolveShape(
  shape: ShapeExpr,
  scope: Scope,
  diagnostics: Diagnostic[],
): Shape | null {
  const dims = shape.dims.map((d) => resolveSize(d, scope, diagnostics));
  return dims.every((d): d is Size => d !== null) ? dims : null;
}

function resolveSize(e: SizeExpr, scope: Scope, diagnostics: Diagnostic[]): Size | null {
  switch (e.kind) {
    case "SizeNumber":
      if (!Number.isInteger(e.value)) {
        diagnostics.push(badSize(`a size must be a whole number, not ${e.value}`, e.span));
        return null;
      }
      return sizeConst(e.value);
    case "SizeName": {
      const symbol = scope.get(e.name);
      if (symbol?.kind === "size") return sizeVar(e.name);
      if (symbol) {
        diagnostics.push(badSize(`'${e.name}' is ${describeSymbol(symbol)}, not a size`, e.span));
      } else {
        const sizes = () => [...scope.values()].flatMap((s) => (s.kind === "size" ? [s.name] : []));
        const hint = suggestion(e.name, sizes, diagnostics);
        diagnostics.push(
          unknownName(e.name, e.span, hint || ` (declare it with 'size ${e.name}')`),
        );
      }
      return null;
    }
    case "SizeBinary": {
      const lhs = resolveSize(e.lhs, scope, diagnostics);
      const rhs = resolveSize(e.rhs, scope, diagnostics);
      if (!lhs || !rhs) return null;
      if (e.op === "+") return addSizes(lhs, rhs);
      if (e.op === "-") return subSizes(lhs, rhs);
      if (isConstSize(lhs)) return scaleSize(rhs, lhs.constant);
      if (isConstSize(rhs)) return scaleSize(lhs, rhs.constant);
      diagnostics.push(
        badSize("a size can multiply a size only by a number (sizes stay linear)", e.span),
      );
      return null;
    }
  }
}

function sizeNames(e: SizeExpr, out: Set<string>): void {
  if (e.kind === "SizeName") out.add(e.name);
  else if (e.kind === "SizeBinary") {
    sizeNames(e.lhs, out);
    sizeNames(e.rhs, out);
  }
}

/**
 * Sizes are learned from the weights and the input at load time, so a size that only a state
 * mentions could never be known; one that nothing mentions is merely unused.
 */
export function checkSizeUse(file: CellFile, scope: Scope, diagnostics: Diagnostic[]): void {
  const learnable = new Set<string>();
  const mentioned = new Set<string>();
  for (const d of file.decls) {
    if (d.kind !== "Input" && d.kind !== "State" && d.kind !== "Param") continue;
    for (const dim of d.shape.dims) {
      sizeNames(dim, mentioned);
      if (d.kind !== "State") sizeNames(dim, learnable);
    }
  }
  for (const symbol of scope.values()) {
    if (symbol.kind !== "size") continue;
    if (!mentioned.has(symbol.name)) diagnostics.push(unusedSize(symbol.name, symbol.span));
    else if (!learnable.has(symbol.name))
      diagnostics.push(sizeNotLearnable(symbol.name, symbol.span));
  }
}
