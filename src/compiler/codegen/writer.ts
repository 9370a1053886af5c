// Builds generated source line by line with managed indentation, so blocks always close and
// output never comes from ad hoc string concatenation. Prettier formats the final module.
import { commentText } from "./literals.js";

export class CodeWriter {
  private readonly output: string[] = [];
  private depth = 0;

  line(text = ""): this {
    this.output.push(text === "" ? "" : `${"  ".repeat(this.depth)}${text}`);
    return this;
  }

  /** Appends lines rendered elsewhere, at the current depth. */
  lines(texts: readonly string[]): this {
    for (const t of texts) this.line(t);
    return this;
  }

  comment(text: string): this {
    return this.line(`// ${text}`);
  }

  /** `header {`, the body one level deeper, then `}` (or `footer`). */
  block(header: string, body: () => void, footer = "}"): this {
    this.line(`${header} {`);
    this.depth++;
    body();
    this.depth--;
    return this.line(footer);
  }

  /**
   * `callee(` with one argument per line, each followed by a note saying what it is (notes may
   * quote a `.cell` file, so they are made comment-safe), then `)` and `end`.
   */
  call(callee: string, args: readonly (readonly [expr: string, note: string])[], end = ";"): this {
    this.line(`${callee}(`);
    this.depth++;
    for (const [expr, note] of args) this.line(`${expr}, // ${commentText(note)}`);
    this.depth--;
    return this.line(`)${end}`);
  }

  /** The lines written so far, indented from depth 0. */
  toLines(): string[] {
    return [...this.output];
  }

  toString(): string {
    return `${this.output.join("\n")}\n`;
  }
}
