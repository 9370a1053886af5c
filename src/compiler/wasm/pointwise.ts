// Compiles a fused element-wise loop (see codegen/schedule.ts) to a WebAssembly SIMD function:
// for each row, four elements at a time, every node of the loop in order. Operands are arrays in
// memory, each passed as (address of row 0, bytes per row); rows have room for whole vectors, so
// the last vector of a row may compute a few padding lanes, which nothing reads, except a
// reduction: it masks them off before adding. A reduction keeps four running sums in float64 (two
// f64x2 vectors), adds them when the row is done and stores the float32 rounding of the total,
// within float32 noise of the interpreter's float64 sum; a per-row number is read once per row
// and splatted.
import type { Node, ValueId } from "../ir/ir.js";
import { isBinary, isUnary } from "../ir/ir.js";
import { Code, type Local } from "./code.js";
import { VectorMath } from "./math.js";
import type { WasmFunction } from "./module.js";
import { F32, I32, Op, Simd, V128 } from "./opcodes.js";

/** Where a value the loop reads but does not compute comes from. */
export type WasmSource =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "scalar"; readonly index: number }
  | { readonly kind: "array"; readonly operand: number }
  /** One number per row (a reduction's result): every unit reads that number. */
  | { readonly kind: "rowScalar"; readonly operand: number };

export interface PointwiseSpec {
  readonly name: string;
  /** The nodes the loop computes, in order. */
  readonly nodes: readonly Node[];
  /** Nodes written into their single user's expression instead of a local. */
  readonly inlined: ReadonlySet<ValueId>;
  readonly source: (id: ValueId) => WasmSource;
  /** The operands a computed node is stored into (none for values used only in the loop). */
  readonly stores: (id: ValueId) => readonly number[];
  readonly operands: number;
  readonly scalars: number;
}

const UNSUPPORTED = new Set(["expm1", "log", "log1p", "pow"]);

/** Whether the SIMD code has this op (the rest run in the JavaScript kernel). */
export function hasSimdOp(n: Node): boolean {
  if (n.op === "sum") return true;
  return (isUnary(n) || isBinary(n) || n.op === "select") && !UNSUPPORTED.has(n.op);
}

const BINARY: Partial<Record<string, number>> = {
  add: Simd.f32x4Add,
  sub: Simd.f32x4Sub,
  mul: Simd.f32x4Mul,
  div: Simd.f32x4Div,
  max: Simd.f32x4Max,
  min: Simd.f32x4Min,
};

const COMPARE: Partial<Record<string, number>> = {
  lt: Simd.f32x4Lt,
  le: Simd.f32x4Le,
  gt: Simd.f32x4Gt,
  ge: Simd.f32x4Ge,
  eq: Simd.f32x4Eq,
  ne: Simd.f32x4Ne,
};

class LoopCompiler {
  readonly c: Code;
  private readonly math: VectorMath;
  private readonly locals = new Map<ValueId, Local>();
  private readonly nodes: Map<ValueId, Node>;
  private readonly ptr: Local[] = [];
  private readonly stride: Local[] = [];
  private readonly scalar: Local[] = [];
  private readonly jb: Local;
  /** The splatted per-row number of each operand that holds one, read at the top of a row. */
  private readonly rowScalars = new Map<number, Local>();
  /** Each reduction's four running lane sums, as two f64x2 vectors (lanes 0-1 and 2-3). */
  private readonly accumulators = new Map<ValueId, readonly [Local, Local]>();

  constructor(private readonly spec: PointwiseSpec) {
    const params = [
      I32,
      I32,
      ...Array(spec.operands * 2).fill(I32),
      ...Array(spec.scalars).fill(F32),
    ];
    this.c = new Code(params);
    this.math = new VectorMath(this.c);
    this.nodes = new Map(spec.nodes.map((n) => [n.id, n]));
    for (let k = 0; k < spec.operands; k++) {
      this.ptr.push(2 + 2 * k);
      this.stride.push(3 + 2 * k);
    }
    // Scalars are splatted once, before the loops.
    for (let s = 0; s < spec.scalars; s++) {
      const v = this.c.local(V128);
      this.c
        .get(2 + 2 * spec.operands + s)
        .simd(Simd.f32x4Splat)
        .set(v);
      this.scalar.push(v);
    }
    this.jb = this.c.local(I32);
    for (const n of spec.nodes) {
      if (n.op === "sum") this.accumulators.set(n.id, [this.c.local(V128), this.c.local(V128)]);
      for (const a of n.args) {
        const from = this.nodes.has(a) ? null : spec.source(a);
        if (from?.kind === "rowScalar" && !this.rowScalars.has(from.operand))
          this.rowScalars.set(from.operand, this.c.local(V128));
      }
    }
  }

  /** Pushes the vector of elements [jb, jb + 16) of value `id`. */
  private value(id: ValueId): void {
    const local = this.locals.get(id);
    if (local !== undefined) {
      this.c.get(local);
      return;
    }
    const node = this.nodes.get(id);
    if (node && this.spec.inlined.has(id)) return this.compute(node);
    const from = this.spec.source(id);
    if (from.kind === "const") this.c.splat(from.value);
    else if (from.kind === "scalar") this.c.get(this.scalar[from.index]!);
    else if (from.kind === "rowScalar") this.c.get(this.rowScalars.get(from.operand)!);
    else this.c.get(this.ptr[from.operand]!).get(this.jb).op(Op.i32Add).load128();
  }

  private compute(n: Node): void {
    const c = this.c;
    n.args.forEach((a) => this.value(a));
    if (n.op === "select") {
      // bitselect(a, b, mask) wants the mask last: condition != 0, NaN counting as true.
      const [cond, a, b] = [c.local(V128), c.local(V128), c.local(V128)];
      c.set(b).set(a).set(cond);
      c.get(a).get(b).get(cond).splat(0).simd(Simd.f32x4Ne).simd(Simd.v128Bitselect);
      return;
    }
    const binary = BINARY[n.op];
    if (binary !== undefined) return void c.simd(binary);
    const compare = COMPARE[n.op];
    if (compare !== undefined) return void c.simd(compare).splat(1).simd(Simd.v128And);
    switch (n.op) {
      case "neg":
        return void c.simd(Simd.f32x4Neg);
      case "abs":
        return void c.simd(Simd.f32x4Abs);
      case "sqrt":
        return void c.simd(Simd.f32x4Sqrt);
      case "floor":
        return void c.simd(Simd.f32x4Floor);
      case "exp":
        return this.math.exp();
      case "sigmoid":
        return this.math.sigmoid();
      case "tanh":
        return this.math.tanh();
      case "sin":
        return this.math.sin();
      case "cos":
        return this.math.cos();
      case "erf":
        return this.math.erf();
      default:
        throw new Error(`internal: no SIMD code for ${n.op}`);
    }
  }

  compile(): WasmFunction {
    const c = this.c;
    const [rows, length] = [0, 1];
    const r = c.local(I32);
    const end = c.local(I32);
    const lanes = this.accumulators.size > 0 ? this.laneIndexes() : null;
    const mask = lanes !== null ? c.local(V128) : -1;
    c.get(length).i32(4).op(Op.i32Mul).set(end);
    c.openConstantPool();
    c.forLoop(
      r,
      () => c.i32(0),
      () => c.get(rows),
      1,
      () => {
        for (const [k, local] of this.rowScalars) {
          c.get(this.ptr[k]!).f32Load().simd(Simd.f32x4Splat).set(local);
        }
        for (const [low, high] of this.accumulators.values()) {
          c.splat(0).set(low);
          c.splat(0).set(high);
        }
        c.forLoop(
          this.jb,
          () => c.i32(0),
          () => c.get(end),
          16,
          () => {
            this.locals.clear();
            if (lanes !== null) this.tailMask(lanes, end, mask);
            for (const n of this.spec.nodes) {
              if (this.spec.inlined.has(n.id)) continue;
              if (n.op === "sum") {
                this.accumulate(n.id, n.args[0], mask);
                continue;
              }
              this.compute(n);
              this.math.release();
              const stores = this.spec.stores(n.id);
              const local = c.local(V128);
              c.set(local);
              this.locals.set(n.id, local);
              for (const k of stores)
                c.get(this.ptr[k]!).get(this.jb).op(Op.i32Add).get(local).store128();
            }
          },
        );
        for (const [id, acc] of this.accumulators) this.storeSum(id, acc);
        for (let k = 0; k < this.spec.operands; k++) c.add(this.ptr[k]!, this.stride[k]!, true);
      },
    );
    c.closeConstantPool();
    return { name: this.spec.name, params: c.params, locals: c.locals, body: c.bytes };
  }

  /** The i32 lanes (0, 1, 2, 3), set once, to tell a row's last units from its padding. */
  private laneIndexes(): Local {
    const c = this.c;
    const lanes = c.local(V128);
    c.i32(0).simd(Simd.i32x4Splat);
    for (let lane = 1; lane < 4; lane++) c.i32(lane).simd(Simd.i32x4ReplaceLane).op(lane);
    c.set(lanes);
    return lanes;
  }

  /** mask = all ones in the lanes of this vector that are units of the row, zeros past its end. */
  private tailMask(lanes: Local, end: Local, mask: Local): void {
    const c = this.c;
    c.get(end).get(this.jb).op(Op.i32Sub).i32(2).op(Op.i32ShrS).simd(Simd.i32x4Splat);
    c.get(lanes).simd(Simd.i32x4GtS).set(mask);
  }

  /** The sums += the operand's four units (padding lanes zeroed), widened to float64. */
  private accumulate(id: ValueId, operand: ValueId, mask: Local): void {
    const c = this.c;
    const [low, high] = this.accumulators.get(id)!;
    const units = c.local(V128);
    this.value(operand);
    this.math.release();
    c.get(mask).simd(Simd.v128And).set(units);
    c.get(low).get(units).simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Add).set(low);
    // Lanes 2 and 3 moved to 0 and 1 (bytes 8-15 twice), then widened the same way.
    c.get(high).get(units).get(units).simd(Simd.i8x16Shuffle);
    for (let k = 0; k < 16; k++) c.op(8 + (k % 8));
    c.simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Add).set(high);
  }

  /** The row's total (its four sums added in float64), stored as one float32. */
  private storeSum(id: ValueId, [low, high]: readonly [Local, Local]): void {
    const c = this.c;
    for (const k of this.spec.stores(id)) {
      c.get(this.ptr[k]!);
      c.get(low).simd(Simd.f64x2ExtractLane).op(0);
      c.get(low).simd(Simd.f64x2ExtractLane).op(1).op(Op.f64Add);
      c.get(high).simd(Simd.f64x2ExtractLane).op(0).op(Op.f64Add);
      c.get(high).simd(Simd.f64x2ExtractLane).op(1).op(Op.f64Add);
      c.op(Op.f32DemoteF64).f32Store();
    }
  }
}

export function pointwiseFunction(spec: PointwiseSpec): WasmFunction {
  return new LoopCompiler(spec).compile();
}
