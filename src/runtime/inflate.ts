// Raw DEFLATE (RFC 1951) decoding into a buffer of a known size, for zip records written
// compressed (torch.save stores them, but a .pt re-zipped by another tool deflates them). Modelled
// on zlib's puff.c: canonical Huffman codes decoded bit by bit. Every read and every write is
// bounds-checked, and each step consumes input or produces output, so any input ends quickly.

type Fail = (detail: string) => Error;

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  readonly count: Uint16Array;
  readonly symbol: Uint16Array;
}

const MAX_BITS = 15;
// Base lengths and extra bits of length codes 257..285, and of distance codes 0..29.
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
// The order in which a dynamic block lists the code lengths of its code-length code.
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** The `size` bytes that `input` inflates to; anything else (more, fewer, bad codes) fails. */
export function inflate(input: Uint8Array, size: number, fail: Fail): Uint8Array {
  const s = new State(input, new Uint8Array(size), fail);
  let last = 0;
  while (!last) {
    last = s.bits(1);
    const type = s.bits(2);
    if (type === 0) s.stored();
    else if (type === 1) s.codes(FIXED.lengths, FIXED.distances);
    else if (type === 2) s.dynamic();
    else throw fail("invalid deflate block type 3");
  }
  if (s.written !== size) throw fail(`inflates to ${s.written} bytes, not the ${size} it says`);
  return s.out;
}

class State {
  private pos = 0;
  private bitBuffer = 0;
  private bitCount = 0;
  written = 0;

  constructor(
    private readonly input: Uint8Array,
    readonly out: Uint8Array,
    private readonly fail: Fail,
  ) {}

  /** The next `n` bits (n <= 16), least significant first. */
  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.input.length) throw this.fail("deflate data ends early");
      this.bitBuffer |= this.input[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bitBuffer & ((1 << n) - 1);
    this.bitBuffer >>>= n;
    this.bitCount -= n;
    return v;
  }

  /** A stored block: LEN, its complement, LEN bytes, from the next byte boundary. */
  stored(): void {
    this.bitBuffer = 0;
    this.bitCount = 0;
    if (this.pos + 4 > this.input.length) throw this.fail("deflate data ends early");
    const at = this.pos;
    const length = this.input[at]! | (this.input[at + 1]! << 8);
    const check = this.input[at + 2]! | (this.input[at + 3]! << 8);
    if (length !== (~check & 0xffff)) throw this.fail("a stored deflate block's length is corrupt");
    this.pos += 4;
    if (this.pos + length > this.input.length) throw this.fail("deflate data ends early");
    this.room(length);
    this.out.set(this.input.subarray(this.pos, this.pos + length), this.written);
    this.pos += length;
    this.written += length;
  }

  /** Decodes one symbol of `h`, one bit at a time. */
  decode(h: Huffman): number {
    let code = 0; // the bits read so far
    let first = 0; // the first code of the current length
    let index = 0; // where the current length's symbols start
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw this.fail("an invalid deflate code");
  }

  /** Literals and (length, distance) copies until the end-of-block symbol. */
  codes(lengths: Huffman, distances: Huffman): void {
    for (;;) {
      let symbol = this.decode(lengths);
      if (symbol < 256) {
        this.room(1);
        this.out[this.written++] = symbol;
        continue;
      }
      if (symbol === 256) return;
      symbol -= 257;
      if (symbol >= 29) throw this.fail("an invalid deflate length code");
      const length = LENGTH_BASE[symbol]! + this.bits(LENGTH_EXTRA[symbol]!);
      const d = this.decode(distances);
      if (d >= 30) throw this.fail("an invalid deflate distance code");
      const distance = DIST_BASE[d]! + this.bits(DIST_EXTRA[d]!);
      if (distance > this.written) throw this.fail("a deflate distance reaches before the start");
      this.room(length);
      for (let i = 0; i < length; i++, this.written++) {
        this.out[this.written] = this.out[this.written - distance]!;
      }
    }
  }

  /** A block with its own codes, themselves sent as code lengths in a code-length code. */
  dynamic(): void {
    const nLengths = this.bits(5) + 257;
    const nDistances = this.bits(5) + 1;
    const nCodes = this.bits(4) + 4;
    if (nLengths > 286 || nDistances > 30) throw this.fail("a deflate block has too many codes");
    const lengths = new Uint8Array(nLengths + nDistances);
    const order = new Uint8Array(19);
    for (let i = 0; i < nCodes; i++) order[CODE_LENGTH_ORDER[i]!] = this.bits(3);
    const lengthCode = huffman(order);
    if (lengthCode.left !== 0) throw this.fail("a deflate code-length code is incomplete");
    for (let i = 0; i < lengths.length;) {
      const symbol = this.decode(lengthCode);
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      if (symbol === 16 && i === 0) throw this.fail("a deflate length repeats nothing");
      const value = symbol === 16 ? lengths[i - 1]! : 0;
      const times =
        symbol === 16 ? 3 + this.bits(2) : symbol === 17 ? 3 + this.bits(3) : 11 + this.bits(7);
      if (i + times > lengths.length) throw this.fail("deflate code lengths overrun their list");
      lengths.fill(value, i, i + times);
      i += times;
    }
    if (lengths[256] === 0) throw this.fail("a deflate block has no end-of-block code");
    this.codes(
      this.checked(huffman(lengths.subarray(0, nLengths)), "length"),
      this.checked(huffman(lengths.subarray(nLengths)), "distance"),
    );
  }

  /** An incomplete code is allowed only when it is a single code of one bit (RFC 1951, 3.2.7). */
  private checked(h: Huffman & { readonly left: number }, what: string): Huffman {
    const single = h.count[0]! + h.count[1]! === h.symbol.length;
    if (h.left < 0 || (h.left > 0 && !single)) throw this.fail(`a deflate ${what} code is invalid`);
    return h;
  }

  private room(n: number): void {
    if (n > this.out.length - this.written) {
      throw this.fail(`inflates to more than the ${this.out.length} bytes it says`);
    }
  }
}

/** The canonical code for these code lengths; `left` < 0: over-subscribed, > 0: incomplete. */
function huffman(lengths: Uint8Array): Huffman & { readonly left: number } {
  const count = new Uint16Array(MAX_BITS + 1);
  for (const len of lengths) count[len]!++;
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) break;
  }
  const offsets = new Uint16Array(MAX_BITS + 2);
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = offsets[len]! + count[len]!;
  const symbol = new Uint16Array(lengths.length);
  lengths.forEach((len, s) => {
    if (len !== 0) symbol[offsets[len]!++] = s;
  });
  return { count, symbol, left };
}

/** The fixed codes of block type 1. */
const FIXED = (() => {
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  return { lengths: huffman(lengths), distances: huffman(new Uint8Array(30).fill(5)) };
})();
