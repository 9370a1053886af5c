// The SIMD matrix product, in WebAssembly:
//   out[r, i] = bias[r, i] + sum over j of x[r, j] * W[i, j],   r < rows, i < m
// W is packed at load time (Heap.packed in runtime/wasm-heap.ts) in panels of PANEL = 8 outputs: panel p holds
// W[8p .. 8p+7, j] for j = 0..k-1, 8 floats per j, so the inner loop reads two vectors at
// constant offsets. All pointers are byte addresses; strides are bytes per row (a bias stride of
// 0 repeats one vector). Outputs are written for whole panels: `out` rows must have room for m
// rounded up to 8. Blocks: 4 rows x 8 outputs (eight sums, each weight vector serving four rows)
// and, for a single row, 1 row x 8 outputs with three partial sums per output (six sums).
import { Code, type Local } from "./code.js";
import type { WasmFunction } from "./module.js";
import { PANEL } from "../../embedded/wasm-heap.js";
import { I32, Op, Simd, V128 } from "./opcodes.js";

export { PANEL };

// Measured with V8 11 (Node 20) on x64, where SIMD code has 16 vector registers: unrolling the
// multi-row loop makes TurboFan hoist the unrolled loads and spill (36 -> 27 GFLOP/s); a single
// row keeps three partial sums per output so that six independent sums hide the add latency.
const UNROLL = 1;
const SPLIT_UNROLL = 3;
const ROW_BLOCK = 4;
/** Bytes of x rows per chunk: a share of L2 that leaves room for the outputs. */
const CHUNK_BYTES = 128 * 1024;
const PARAMS = ["rows", "m", "k", "w", "x", "xStride", "out", "outStride", "bias", "biasStride"];
type Params = Record<(typeof PARAMS)[number], Local>;

/** Pushes `base + (r + q) * stride + extra`. */
function rowAddress(c: Code, base: Local, r: Local, q: number, stride: Local, extra: Local): void {
  c.get(r);
  if (q > 0) c.i32(q).op(Op.i32Add);
  c.get(stride).op(Op.i32Mul).get(base).op(Op.i32Add).get(extra).op(Op.i32Add);
}

/** acc += w * splat(x[j]) for `steps` consecutive j, reading at constant offsets. */
function steps(
  c: Code,
  xRow: Local[],
  wp: Local,
  acc: Local[][],
  wv: Local[],
  s: Local,
  count: number,
  split: boolean,
): void {
  for (let u = 0; u < count; u++) {
    for (let v = 0; v < 2; v++)
      c.get(wp)
        .load128((u * PANEL + v * 4) * 4)
        .set(wv[v]!);
    xRow.forEach((x, q) => {
      c.get(x)
        .simdMem(Simd.v128Load32Splat, u * 4, 2)
        .set(s);
      for (let v = 0; v < 2; v++) {
        // With one row, each unrolled step keeps its own partial sums.
        const a = acc[split ? u : q]![v]!;
        c.get(a).get(wv[v]!).get(s).simd(Simd.f32x4Mul).simd(Simd.f32x4Add).set(a);
      }
    });
  }
  for (const x of xRow) c.add(x, count * 4);
  c.add(wp, count * PANEL * 4);
}

function panelBlock(c: Code, p: Params, r: Local, panel: Local, rowCount: number): void {
  const split = rowCount === 1;
  const xRow = Array.from({ length: rowCount }, () => c.local(I32));
  const unroll = split ? SPLIT_UNROLL : UNROLL;
  const sets = split ? unroll : rowCount;
  const acc = Array.from({ length: sets }, () => [c.local(V128), c.local(V128)]);
  const wv = [c.local(V128), c.local(V128)];
  const s = c.local(V128);
  const wp = c.local(I32);
  const col = c.local(I32);
  const j = c.local(I32);
  const zero = c.local(I32);
  c.get(panel)
    .i32(PANEL * 4)
    .op(Op.i32Mul)
    .set(col); // this panel's first output, in bytes
  for (let q = 0; q < rowCount; q++) {
    rowAddress(c, p.x!, r, q, p.xStride!, zero);
    c.set(xRow[q]!);
  }
  acc.forEach((pair, q) =>
    pair.forEach((a, v) => {
      if (split && q > 0) c.splat(0).set(a);
      else {
        rowAddress(c, p.bias!, r, split ? 0 : q, p.biasStride!, col);
        c.load128(v * 16).set(a);
      }
    }),
  );
  // wp = w + panel * k * PANEL * 4
  c.get(panel)
    .get(p.k!)
    .op(Op.i32Mul)
    .i32(PANEL * 4)
    .op(Op.i32Mul)
    .get(p.w!)
    .op(Op.i32Add)
    .set(wp);
  // Unrolled while `unroll` steps remain, then one step at a time.
  c.i32(0).set(j);
  c.op(Op.block, 0x40, Op.loop, 0x40);
  c.get(j).i32(unroll).op(Op.i32Add).get(p.k!).op(Op.i32GtS);
  c.bytes.byte(Op.brIf).u32(1);
  steps(c, xRow, wp, acc, wv, s, unroll, split);
  c.add(j, unroll);
  c.bytes.byte(Op.br).u32(0);
  c.op(Op.end, Op.end);
  c.forLoop(
    j,
    () => c.get(j),
    () => c.get(p.k!),
    1,
    () => steps(c, xRow, wp, acc, wv, s, 1, split),
  );
  if (split) {
    for (let v = 0; v < 2; v++) {
      for (let u = 1; u < unroll; u++)
        c.get(acc[0]![v]!).get(acc[u]![v]!).simd(Simd.f32x4Add).set(acc[0]![v]!);
    }
  }
  for (let q = 0; q < rowCount; q++) {
    for (let v = 0; v < 2; v++) {
      rowAddress(c, p.out!, r, q, p.outStride!, col);
      c.get(acc[split ? 0 : q]![v]!).store128(v * 16);
    }
  }
}

/** The number of 8-output panels: (m + 7) / 8. */
function panelCount(c: Code, p: Params): Local {
  const count = c.local(I32);
  c.get(p.m!)
    .i32(PANEL - 1)
    .op(Op.i32Add)
    .i32(3)
    .op(Op.i32ShrU)
    .set(count);
  return count;
}

/**
 * Rows go in blocks of ROW_BLOCK; a last, partial block is computed whole, so every row gets the
 * same arithmetic however the rows are split (threads, batch sizes): x, bias and out need room
 * for ROW_BLOCK - 1 rows past the last. Only a single row (a batch of one) takes the
 * matrix-vector path, whose partial sums add in another order.
 *
 * Cache blocking: rows go in chunks whose x rows fit in CHUNK_BYTES (L2), and within a chunk each
 * weight panel (k * 32 bytes, in L1) serves every row block before the next panel is read, so
 * the weights stream from memory once per chunk rather than once per row block.
 */
export function gemmFunction(): WasmFunction {
  const c = new Code(PARAMS.map(() => I32));
  const p = Object.fromEntries(PARAMS.map((name, index) => [name, index])) as Params;
  const r = c.local(I32);
  const panel = c.local(I32);
  const count = panelCount(c, p);
  c.get(p.rows!).i32(1).op(Op.i32Eq);
  c.op(Op.if, 0x40);
  c.i32(0).set(r);
  c.forLoop(
    panel,
    () => c.i32(0),
    () => c.get(count),
    1,
    () => panelBlock(c, p, r, panel, 1),
  );
  c.op(Op.else);
  const chunk = c.local(I32);
  const start = c.local(I32);
  const end = c.local(I32);
  // chunk = max(ROW_BLOCK, (CHUNK_BYTES / (4 * k)) rounded down to whole blocks)
  c.i32(CHUNK_BYTES)
    .get(p.k!)
    .i32(4)
    .op(Op.i32Mul)
    .op(Op.i32DivU)
    .i32(-ROW_BLOCK)
    .op(Op.i32And)
    .set(chunk);
  c.i32(ROW_BLOCK).get(chunk).get(chunk).i32(ROW_BLOCK).op(Op.i32LtS).op(Op.select).set(chunk);
  // for (start = 0; start < rows; start += chunk)
  c.i32(0).set(start);
  c.op(Op.block, 0x40, Op.loop, 0x40);
  c.get(start).get(p.rows!).op(Op.i32GeS);
  c.bytes.byte(Op.brIf).u32(1);
  // end = min(start + chunk, rows)
  c.get(start).get(chunk).op(Op.i32Add).set(end);
  c.get(p.rows!).get(end).get(p.rows!).get(end).op(Op.i32LtS).op(Op.select).set(end);
  c.forLoop(
    panel,
    () => c.i32(0),
    () => c.get(count),
    1,
    () =>
      c.forLoop(
        r,
        () => c.get(start),
        () => c.get(end),
        ROW_BLOCK,
        () => panelBlock(c, p, r, panel, ROW_BLOCK),
      ),
  );
  c.add(start, chunk, true);
  c.bytes.byte(Op.br).u32(0);
  c.op(Op.end, Op.end);
  c.op(Op.end);
  return { name: "gemm", params: c.params, locals: c.locals, body: c.bytes };
}
