// Builds generated source line by line with managed indentation, so blocks always close and
// output never comes from ad hoc string concatenation. Prettier formats the final module.

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

  toString(): string {
    return `${this.output.join("\n")}\n`;
  }
}
