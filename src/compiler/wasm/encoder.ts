// Bytes of a WebAssembly binary: LEB128 integers, IEEE floats, names and sections, per the
// WebAssembly core specification (binary format, chapter 5).

export class Bytes {
  private readonly out: number[] = [];

  byte(...bs: number[]): this {
    for (const b of bs) this.out.push(b & 0xff);
    return this;
  }

  /** Unsigned LEB128. */
  u32(n: number): this {
    let v = n >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.out.push(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (32-bit). */
  s32(n: number): this {
    let v = n | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.out.push(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f32(x: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, x, true);
    for (let i = 0; i < 4; i++) this.out.push(view.getUint8(i));
    return this;
  }

  f64(x: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x, true);
    for (let i = 0; i < 8; i++) this.out.push(view.getUint8(i));
    return this;
  }

  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    for (const b of utf8) this.out.push(b);
    return this;
  }

  append(other: Bytes): this {
    for (const b of other.out) this.out.push(b);
    return this;
  }

  /** Puts `other`'s bytes in at position `at`. */
  insert(at: number, other: Bytes): this {
    this.out.splice(at, 0, ...other.out);
    return this;
  }

  /** `vec(items)`: a count, then each item. */
  vector<T>(items: readonly T[], each: (item: T) => void): this {
    this.u32(items.length);
    for (const item of items) each(item);
    return this;
  }

  get length(): number {
    return this.out.length;
  }

  toUint8Array(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}
