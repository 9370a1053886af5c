// Writes a function body: typed helpers for the instructions kernels use, and structured loops,
// so that emitters read like the loops they produce rather than like opcode lists.
import { Bytes } from "./encoder.js";
import { type ValType, Op, Simd, V128, VOID } from "./opcodes.js";

/** A local variable's index. */
export type Local = number;

/** Where constants go while a pool is open: the byte to insert their set-up at, and each local. */
interface ConstantPool {
  readonly at: number;
  readonly locals: Map<string, { readonly local: Local; readonly init: (b: Bytes) => void }>;
}

export class Code {
  readonly bytes = new Bytes();
  readonly locals: ValType[] = [];
  private pool: ConstantPool | null = null;

  constructor(readonly params: readonly ValType[]) {}

  local(type: ValType): Local {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  get(l: Local): this {
    this.bytes.byte(Op.localGet).u32(l);
    return this;
  }

  set(l: Local): this {
    this.bytes.byte(Op.localSet).u32(l);
    return this;
  }

  tee(l: Local): this {
    this.bytes.byte(Op.localTee).u32(l);
    return this;
  }

  i32(n: number): this {
    this.bytes.byte(Op.i32Const).s32(n);
    return this;
  }

  f32(x: number): this {
    this.bytes.byte(Op.f32Const).f32(x);
    return this;
  }

  op(...codes: number[]): this {
    this.bytes.byte(...codes);
    return this;
  }

  simd(code: number): this {
    this.bytes.byte(0xfd).u32(code);
    return this;
  }

  /** A SIMD memory access: alignment hint 2^align, byte offset. */
  simdMem(code: number, offset = 0, align = 0): this {
    this.bytes.byte(0xfd).u32(code).u32(align).u32(offset);
    return this;
  }

  f32Load(offset = 0): this {
    this.bytes.byte(Op.f32Load).u32(2).u32(offset);
    return this;
  }

  f32Store(offset = 0): this {
    this.bytes.byte(Op.f32Store).u32(2).u32(offset);
    return this;
  }

  load128(offset = 0): this {
    return this.simdMem(Simd.v128Load, offset);
  }

  store128(offset = 0): this {
    return this.simdMem(Simd.v128Store, offset);
  }

  splat(x: number): this {
    if (this.pool)
      return this.pooled(`f32:${f32Bits(x)}`, (b) => b.byte(Op.f32Const).f32(x), Simd.f32x4Splat);
    return this.f32(x).simd(Simd.f32x4Splat);
  }

  /** Both float64 lanes set to `x`. */
  splatF64(x: number): this {
    if (this.pool)
      return this.pooled(`f64:${f64Bits(x)}`, (b) => b.byte(Op.f64Const).f64(x), Simd.f64x2Splat);
    this.bytes.byte(Op.f64Const).f64(x);
    return this.simd(Simd.f64x2Splat);
  }

  /** Bytes of the two vectors on the stack: `lanes[i]` < 16 from the first, others the second. */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16) throw new Error("internal: a shuffle takes 16 lane indices");
    this.simd(Simd.i8x16Shuffle);
    this.bytes.byte(...lanes);
    return this;
  }

  /** if (condition on the stack) then() else otherwise(), producing no value. */
  ifElse(then: () => void, otherwise: () => void): this {
    this.op(Op.if, VOID);
    then();
    this.op(Op.else);
    otherwise();
    return this.op(Op.end);
  }

  splatI32(n: number): this {
    if (this.pool)
      return this.pooled(`i32:${n | 0}`, (b) => b.byte(Op.i32Const).s32(n), Simd.i32x4Splat);
    return this.i32(n).simd(Simd.i32x4Splat);
  }

  /**
   * From here to `closeConstantPool`, splatted constants are read from locals set up once, where
   * the pool was opened: V8 does not move constants out of loops itself, and building a vector
   * constant takes three instructions where reading a local takes at most one load.
   */
  openConstantPool(): this {
    this.pool = { at: this.bytes.length, locals: new Map() };
    return this;
  }

  closeConstantPool(): this {
    const pool = this.pool;
    if (!pool) throw new Error("internal: no constant pool is open");
    this.pool = null;
    const setup = new Bytes();
    for (const { local, init } of pool.locals.values()) {
      init(setup);
      setup.byte(Op.localSet).u32(local);
    }
    this.bytes.insert(pool.at, setup);
    return this;
  }

  private pooled(key: string, scalar: (b: Bytes) => void, splat: number): this {
    const pool = this.pool!;
    let entry = pool.locals.get(key);
    if (!entry) {
      const local = this.local(V128);
      entry = { local, init: (b) => (scalar(b), b.byte(0xfd).u32(splat)) };
      pool.locals.set(key, entry);
    }
    return this.get(entry.local);
  }

  /** local += step */
  add(l: Local, step: number | Local, stepIsLocal = false): this {
    this.get(l);
    if (stepIsLocal) this.get(step);
    else this.i32(step);
    return this.op(Op.i32Add).set(l);
  }

  /**
   * for (i = from; i < limit; i += step) body, with i, limit and step as locals or constants.
   * The condition is tested first, so a loop whose range is empty runs no iteration.
   */
  forLoop(i: Local, from: () => void, limit: () => void, step: number, body: () => void): this {
    from();
    this.set(i);
    this.op(Op.block, VOID, Op.loop, VOID);
    this.get(i);
    limit();
    this.op(Op.i32GeS);
    this.bytes.byte(Op.brIf).u32(1);
    body();
    this.add(i, step);
    this.bytes.byte(Op.br).u32(0);
    return this.op(Op.end, Op.end);
  }
}

export { Bytes };

/** A float64's bits, as a pool key (distinct for -0). */
function f64Bits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
}

/** A float32's bits: the same key for every way of writing one constant, distinct for -0. */
function f32Bits(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
}
