// Glue folded over constant tensors: what torch.onnx.export computes from the weights and shapes
// (Slice and Concat of weight blocks without constant folding, shape vectors for Reshape and
// Expand). Row-major, numpy semantics; callers have checked the axes against the ranks.
import type { ConstTensor } from "./const-tensor.js";

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1]! * shape[i + 1]!;
  return out;
}

/** A tensor of `shape` whose element at each index is taken from `t` at from(index). */
function build(
  t: ConstTensor,
  shape: readonly number[],
  from: (index: readonly number[]) => number,
): ConstTensor {
  const n = size(shape);
  const data = new Float64Array(n);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    data[i] = t.data[from(index)]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return { float: t.float, shape, data };
}

export function transposeConst(t: ConstTensor, perm: readonly number[]): ConstTensor {
  const st = strides(t.shape);
  const shape = perm.map((p) => t.shape[p]!);
  return build(t, shape, (ix) => ix.reduce((o, v, a) => o + v * st[perm[a]!]!, 0));
}

/** Python-style slice bounds of one axis, clamped as ONNX's Slice clamps them. */
export function sliceBounds(
  length: number,
  start: number,
  end: number,
  step: number,
): { start: number; count: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number) => (v < 0 ? v + length : v);
  const first = step > 0 ? clamp(norm(start), 0, length) : clamp(norm(start), 0, length - 1);
  const stop = step > 0 ? clamp(norm(end), 0, length) : clamp(norm(end), -1, length - 1);
  const count = Math.max(0, Math.ceil((stop - first) / step));
  return { start: first, count };
}

export function sliceConst(
  t: ConstTensor,
  axes: readonly number[],
  starts: readonly number[],
  ends: readonly number[],
  steps: readonly number[],
): ConstTensor {
  const st = strides(t.shape);
  const first = t.shape.map(() => 0);
  const step = t.shape.map(() => 1);
  const shape = [...t.shape];
  axes.forEach((a, i) => {
    const b = sliceBounds(t.shape[a]!, starts[i]!, ends[i]!, steps[i]!);
    first[a] = b.start;
    step[a] = steps[i]!;
    shape[a] = b.count;
  });
  return build(t, shape, (ix) =>
    ix.reduce((o, v, a) => o + (first[a]! + v * step[a]!) * st[a]!, 0),
  );
}

export function concatConst(ts: readonly ConstTensor[], axis: number): ConstTensor {
  const shape = [...ts[0]!.shape];
  shape[axis] = ts.reduce((n, t) => n + t.shape[axis]!, 0);
  const outer = size(shape.slice(0, axis));
  const data = new Float64Array(size(shape));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of ts) {
      const inner = size(t.shape.slice(axis));
      data.set(t.data.subarray(o * inner, (o + 1) * inner), at);
      at += inner;
    }
  }
  return { float: ts.some((t) => t.float), shape, data };
}

/** Gather along `axis` with integer indices (negative ones count from the end). */
export function gatherConst(t: ConstTensor, indices: ConstTensor, axis: number): ConstTensor {
  const length = t.shape[axis]!;
  const picks = Array.from(indices.data, (i) => (i < 0 ? i + length : i));
  const shape = [...t.shape.slice(0, axis), ...indices.shape, ...t.shape.slice(axis + 1)];
  const st = strides(t.shape);
  const r = indices.shape.length;
  return build(t, shape, (ix) => {
    const k = indices.shape.length === 0 ? 0 : flatIndex(indices.shape, ix.slice(axis, axis + r));
    let o = picks[k]! * st[axis]!;
    for (let a = 0; a < axis; a++) o += ix[a]! * st[a]!;
    for (let a = axis + 1; a < t.shape.length; a++) o += ix[a + r - 1]! * st[a]!;
    return o;
  });
}

function flatIndex(shape: readonly number[], ix: readonly number[]): number {
  return ix.reduce((o, v, a) => o * shape[a]! + v, 0);
}

/** The same data under another shape of the same size. */
export const reshapeConst = (t: ConstTensor, shape: readonly number[]): ConstTensor => ({
  ...t,
  shape,
});

/** numpy broadcasting of `t` to `shape` (which broadcastShape has checked). */
export function expandConst(t: ConstTensor, shape: readonly number[]): ConstTensor {
  const offset = shape.length - t.shape.length;
  const st = strides(t.shape);
  return build(t, shape, (ix) =>
    t.shape.reduce((o, n, a) => o + (n === 1 ? 0 : ix[a + offset]! * st[a]!), 0),
  );
}

export function castConst(t: ConstTensor, float: boolean): ConstTensor {
  return { float, shape: t.shape, data: float ? t.data : t.data.map(Math.trunc) };
}
