// The shape each op produces from its arguments' shapes: shared by lowering (which turns a failure
// into a diagnostic) and the verifier (which turns it into an internal error).
import {
  type Shape,
  type Size,
  addSizes,
  formatSymbolicShape,
  shapeEquals,
  sizeConst,
  sizeEquals,
  formatSize,
} from "../../shared/size.js";
import type { Op } from "./ir.js";

export type ShapeResult = { readonly shape: Shape } | { readonly problem: string };

const show = formatSymbolicShape;

/** Element-wise broadcasting: scalars stretch to any shape; otherwise shapes must be equal. */
export function broadcast(shapes: readonly Shape[]): ShapeResult {
  let result: Shape = [];
  for (const s of shapes) {
    if (s.length === 0) continue;
    if (result.length === 0) result = s;
    else if (!shapeEquals(result, s)) {
      return { problem: `shapes ${show(result)} and ${show(s)} do not match` };
    }
  }
  return { shape: result };
}

export function matvecShape(w: Shape, x: Shape): ShapeResult {
  if (w.length !== 2) return { problem: `the left side of '@' must be a matrix, not ${show(w)}` };
  if (x.length !== 1) return { problem: `the right side of '@' must be a vector, not ${show(x)}` };
  if (!sizeEquals(w[1]!, x[0]!)) {
    return {
      problem: `matrix ${show(w)} has ${formatSize(w[1]!)} columns but the vector ${show(x)} has ${formatSize(x[0]!)} entries`,
    };
  }
  return { shape: [w[0]!] };
}

/** Vectors end to end, or matrices with equal columns stacked by rows. */
export function concatShape(parts: readonly Shape[]): ShapeResult {
  const first = parts[0];
  if (!first || first.length === 0 || first.length > 2) {
    return { problem: `concat joins vectors or matrices, not ${first ? show(first) : "nothing"}` };
  }
  let total: Size = sizeConst(0);
  for (const p of parts) {
    if (p.length !== first.length || (p.length === 2 && !sizeEquals(p[1]!, first[1]!))) {
      return { problem: `concat cannot join ${show(first)} and ${show(p)}` };
    }
    total = addSizes(total, p[0]!);
  }
  return { shape: first.length === 1 ? [total] : [total, first[1]!] };
}

/** W @ x + b. */
export function affineShape(w: Shape, x: Shape, b: Shape): ShapeResult {
  const product = matvecShape(w, x);
  if ("problem" in product) return product;
  if (!shapeEquals(b, product.shape)) {
    return { problem: `the bias ${show(b)} does not match the product ${show(product.shape)}` };
  }
  return product;
}

export function sliceShape(x: Shape, len: Size): ShapeResult {
  if (x.length !== 1) return { problem: `only vectors can be split, not ${show(x)}` };
  return { shape: [len] };
}

export function columnsShape(w: Shape, len: Size): ShapeResult {
  if (w.length !== 2) return { problem: `only matrices have columns, not ${show(w)}` };
  return { shape: [w[0]!, len] };
}

/** A reduction takes a vector and gives a scalar. */
export function sumShape(x: Shape): ShapeResult {
  if (x.length !== 1)
    return { problem: `only a vector can be reduced to a number, not ${show(x)}` };
  return { shape: [] };
}

/** The result shape of `op` applied to arguments of the given shapes (attributes for slices). */
export function inferShape(op: Op, args: readonly Shape[], len?: Size): ShapeResult {
  switch (op) {
    case "input":
    case "state":
    case "param":
    case "const":
    case "size":
      return { problem: `internal: leaf '${op}' has no argument shapes` };
    case "sum":
      return sumShape(args[0]!);
    case "matvec":
      return matvecShape(args[0]!, args[1]!);
    case "affine":
      return affineShape(args[0]!, args[1]!, args[2]!);
    case "slice":
      return sliceShape(args[0]!, len!);
    case "columns":
      return columnsShape(args[0]!, len!);
    case "concat":
      return concatShape(args);
    default:
      return broadcast(args);
  }
}
