// Learns a layer's sizes (I, H, ...) from the shapes of its weights and its input, then checks
// every weight against its declared shape. Errors name the tensor, the shape expected (with the
// sizes filled in) and the shape found.
import { DataError } from "../shared/data-error.js";
import type { CellMeta, ParamMeta } from "../shared/meta.js";
import { type Shape, evalSize, formatSymbolicShape, solveSize } from "../shared/size.js";
import { type Tensor, formatShape } from "../shared/tensor.js";

export type Sizes = ReadonlyMap<string, number>;

export interface LayerNaming {
  /** The tensor name as stored, e.g. `weight_ih_l1_reverse`. */
  readonly tensorName: (param: string) => string;
  readonly source: string;
}

/** Learns what it can from `shape == actual`; returns whether it learned anything. */
function learn(shape: Shape, actual: readonly number[], sizes: Map<string, number>): boolean {
  if (shape.length !== actual.length) return false;
  let learned = false;
  shape.forEach((dim, i) => {
    const solved = solveSize(dim, actual[i]!, sizes);
    if (solved && solved !== "unsolvable") {
      sizes.set(solved.name, solved.value);
      learned = true;
    }
  });
  return learned;
}

export function concreteShape(shape: Shape, sizes: Sizes): number[] | null {
  const dims = shape.map((d) => evalSize(d, sizes));
  return dims.every((d): d is number => d !== null) ? dims : null;
}

export function describeExpected(shape: Shape, sizes: Sizes): string {
  const concrete = concreteShape(shape, sizes);
  const symbolic = formatSymbolicShape(shape);
  if (!concrete) return symbolic;
  const text = formatShape(concrete);
  return text === symbolic ? text : `${symbolic} = ${text}`;
}

/** What the weights alone say about the sizes (possibly not everything). */
export function sizesFromWeights(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
): Map<string, number> {
  const sizes = new Map<string, number>();
  const present = meta.params.filter((p) => weights.has(p.name));
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of present)
      progress = learn(p.shape, weights.get(p.name)!.shape, sizes) || progress;
  }
  return sizes;
}

export function bindSizes(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
  inputSize: number,
  naming: LayerNaming,
): Sizes {
  // Weights first (they define the cell), the input last: a mismatch then blames the input.
  const sizes = sizesFromWeights(meta, weights);
  learn(meta.input.shape, [inputSize], sizes);
  // A missing weight is the likeliest reason for an unknown size, so it is reported first.
  for (const p of meta.params) {
    if (!weights.has(p.name) && p.fill === null) {
      const expected = describeExpected(p.shape, sizes);
      throw new DataError(
        naming.source,
        naming.tensorName(p.name),
        `missing (expected shape ${expected})`,
      );
    }
  }
  // A declared size that no shape mentions is never needed.
  const mentioned = [meta.input, meta.output, ...meta.states, ...meta.params].flatMap((v) =>
    v.shape.flatMap((d) => d.terms.map((t) => t.name)),
  );
  const unknown = meta.sizes.filter((s) => !sizes.has(s) && mentioned.includes(s));
  if (unknown.length > 0) {
    const names = unknown.map((s) => `'${s}'`).join(", ");
    const detail = `cannot tell size${unknown.length > 1 ? "s" : ""} ${names} of cell '${meta.name}' from the weights`;
    throw new DataError(naming.source, null, detail);
  }
  for (const p of meta.params) checkShape(p, weights.get(p.name), sizes, naming);
  for (const [name, value] of sizes) {
    if (value <= 0) throw new DataError(naming.source, null, `size '${name}' would be ${value}`);
  }
  return sizes;
}

/** Checks a present weight against its shape; absent ones were checked before, being optional. */
function checkShape(p: ParamMeta, t: Tensor | undefined, sizes: Sizes, naming: LayerNaming): void {
  if (!t) return;
  const expected = describeExpected(p.shape, sizes);
  const name = naming.tensorName(p.name);
  const want = concreteShape(p.shape, sizes);
  const matches =
    want !== null && want.length === t.shape.length && want.every((d, i) => d === t.shape[i]);
  if (!matches) {
    throw new DataError(
      naming.source,
      name,
      `expected shape ${expected}, found ${formatShape(t.shape)}`,
    );
  }
}
