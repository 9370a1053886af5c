// Turns the size expressions written in shapes (`4*H`, `H + I`) into canonical linear sizes.
// Sizes stay linear with whole coefficients, so every size can be solved from a weight's shape.
import type { Diagnostic } from "../diagnostics.js";
import type { ShapeExpr, SizeExpr } from "../dsl/ast.js";
import {
  type Shape,
  type Size,
  addSizes,
  isConstSize,
  scaleSize,
  sizeConst,
  sizeVar,
  subSizes,
} from "../runtime/size.js";
import { badSize, unknownName } from "./errors.js";
import type { Scope } from "./symbols.js";
import { didYouMean } from "./suggest.js";

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
        diagnostics.push(
          badSize(`'${e.name}' is not a size (declare sizes with 'size ${e.name}')`, e.span),
        );
      } else {
        const sizes = [...scope.values()]
          .filter((s) => s.kind === "size")
          .map((s) => (s.kind === "size" ? s.name : ""));
        diagnostics.push(
          unknownName(
            e.name,
            e.span,
            didYouMean(e.name, sizes) || ` (declare it with 'size ${e.name}')`,
          ),
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
