// The Python literals an .npy header is written in (a dict of strings, booleans and tuples of
// integers), parsed strictly, as numpy's ast.literal_eval would, and printed back as Python does
// for messages. Nesting is bounded, so a hostile header cannot overflow the stack.
import type { DataError } from "../shared/data-error.js";

export type Fail = (detail: string) => DataError;

/** Cuts a long value short for a message: a header may hold megabytes. */
export const clip = (s: string, room = 60): string =>
  s.length > room ? `${s.slice(0, room - 3)}...` : s;

/** The subset of Python literals an npy header can hold. */
export type PyValue = string | number | boolean | null | PySeq;
export interface PySeq {
  readonly kind: "tuple" | "list";
  readonly items: readonly PyValue[];
}

export const isSeq = (v: PyValue | undefined): v is PySeq => typeof v === "object" && v !== null;

/** Python's repr for the values above, so messages show what the file says. */
export function pyRepr(v: PyValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return `'${v}'`;
  const items = v.items.map(pyRepr).join(", ");
  if (v.kind === "list") return `[${items}]`;
  return v.items.length === 1 ? `(${items},)` : `(${items})`;
}

// One keyword or integer literal; the lookahead rejects "Truex" and "3.5".
const WORD = /(True|False|None|-?[0-9]+)(?![\w.])/y;

/** A strict parser for the Python dict literal in an npy header (what ast.literal_eval sees). */
export class PyLiteralParser {
  private pos = 0;
  private depth = 0; // nesting bound, so a hostile header cannot overflow the stack

  constructor(
    private readonly text: string,
    private readonly fail: Fail,
  ) {}

  parseDict(): Map<string, PyValue> {
    const dict = new Map<string, PyValue>();
    this.expect("{");
    while (!this.eat("}")) {
      this.skipSpace();
      const quote = this.text[this.pos];
      if (quote !== "'" && quote !== '"') throw this.error("a string key");
      const key = this.string();
      if (dict.has(key)) throw this.fail(`malformed header: key '${clip(key)}' appears twice`);
      this.expect(":");
      dict.set(key, this.value());
      if (!this.eat(",")) {
        this.expect("}");
        break;
      }
    }
    this.skipSpace();
    if (this.pos < this.text.length) throw this.error("only spaces after the dict");
    return dict;
  }

  private value(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return this.string();
    if (c === "(" || c === "[") return this.sequence(c);
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[1];
    if (word === undefined) throw this.error("a string, number, tuple, list, True, False or None");
    this.pos += word.length;
    if (word === "True" || word === "False") return word === "True";
    if (word === "None") return null;
    const n = Number(word);
    if (!Number.isSafeInteger(n)) {
      throw this.fail(`malformed header: integer ${clip(word)} is too large`);
    }
    return n === 0 ? 0 : n; // Python's -0 is the integer 0
  }

  private sequence(open: "(" | "["): PyValue {
    const close = open === "(" ? ")" : "]";
    const items: PyValue[] = [];
    let comma = false;
    if (++this.depth > 16) throw this.fail("malformed header: nested more than 16 levels deep");
    this.pos++;
    while (!this.eat(close)) {
      items.push(this.value());
      comma = this.eat(",");
      if (!comma) {
        this.expect(close);
        break;
      }
    }
    this.depth--;
    // In Python "(x)" is just x; only a comma (or emptiness) makes a tuple.
    const only = items[0];
    if (open === "(" && items.length === 1 && !comma && only !== undefined) return only;
    return { kind: open === "(" ? "tuple" : "list", items };
  }

  private string(): string {
    const quote = this.text[this.pos] ?? "'";
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) throw this.fail(`malformed header: unterminated string at offset ${this.pos}`);
    const s = this.text.slice(this.pos + 1, end);
    if (/[\\\n]/.test(s)) throw this.fail("malformed header: escapes in strings are not supported");
    this.pos = end + 1;
    return s;
  }

  private skipSpace(): void {
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== token) return false;
    this.pos++;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw this.error(`'${token}'`);
  }

  private error(expected: string): DataError {
    const rest = this.text.slice(this.pos, this.pos + 10).trimEnd();
    const found = rest === "" ? "the end of the header" : JSON.stringify(rest);
    return this.fail(
      `malformed header: expected ${expected} at offset ${this.pos}, found ${found}`,
    );
  }
}
