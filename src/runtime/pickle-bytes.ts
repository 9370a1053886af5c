// The bytes of a pickle, read forward: every read is bounds-checked and a failure names what
// was expected (the VM in pickle.ts adds the opcode's position).
const utf8 = new TextDecoder("utf-8", { fatal: true });

export class PickleBytes {
  pos = 0;
  readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: (detail: string) => Error,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes after the current position. */
  get left(): number {
    return this.bytes.length - this.pos;
  }

  /** The offset of the next `n` bytes, after checking they are there. */
  take(n: number): number {
    if (n > this.left) throw this.fail(`truncated: needs ${n} more bytes, found ${this.left}`);
    const start = this.pos;
    this.pos += n;
    return start;
  }

  u8(): number {
    return this.bytes[this.take(1)]!;
  }

  text(length: number | bigint): string {
    const left = this.left;
    if (length > left) throw this.fail(`a string of ${length} bytes runs past the end (${left})`);
    const start = this.take(Number(length));
    try {
      return utf8.decode(this.bytes.subarray(start, this.pos));
    } catch {
      throw this.fail("a string is not valid UTF-8");
    }
  }

  /** GLOBAL's operands: a line of text up to "\n". */
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw this.fail("truncated: a GLOBAL's name has no end of line");
    const text = this.text(end - this.pos);
    this.take(1);
    return text;
  }

  /** A little-endian two's complement integer of `n` bytes; a number when it is exact. */
  long(n: number): number | bigint {
    const start = this.take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[start + i]!);
    if (n > 0 && this.bytes[start + n - 1]! >= 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v;
  }
}
