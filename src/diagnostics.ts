// Diagnostics are collected values, rendered once at the boundary (CLI, compileOrThrow).
// Spans are UTF-16 offsets into one source text, end exclusive; lines and columns are 1-based.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Severity = "error" | "warning";

/** A named text that spans point into: a `.cell` file, the built-in library, or an `--act` spec. */
export interface SourceText {
  readonly name: string;
  readonly text: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span | null;
  /** Where the span points when it is not the file being compiled (an `--act` override, say). */
  readonly source?: SourceText;
  readonly related?: { readonly span: Span; readonly message: string };
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** Joins two spans into the smallest span covering both. */
export function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private errors = 0;

  add(d: Diagnostic): void {
    // The same complaint at the same place is reported once, however many paths lead to it.
    const key = `${d.code}@${d.source?.name ?? ""}:${d.span?.start ?? -1}:${d.span?.end ?? -1}:${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(d);
    if (d.severity === "error") this.errors++;
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.add(d);
  }

  get hasErrors(): boolean {
    return this.errors > 0;
  }

  get size(): number {
    return this.items.length;
  }

  get all(): readonly Diagnostic[] {
    return [...this.items].sort(byPosition);
  }
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  const sa = a.source ? 1 : 0;
  const sb = b.source ? 1 : 0;
  if (sa !== sb) return sa - sb;
  return (a.span?.start ?? -1) - (b.span?.start ?? -1) || a.code.localeCompare(b.code);
}

export interface LineCol {
  readonly line: number;
  readonly column: number;
}

/**
 * The line map of a source, built once per source: rendering n diagnostics of one file costs n
 * binary searches, not n scans of the file.
 */
const lineMaps = new WeakMap<SourceText, LineMap>();

export function lineMapOf(source: SourceText): LineMap {
  let map = lineMaps.get(source);
  if (map?.text !== source.text) lineMaps.set(source, (map = new LineMap(source.text)));
  return map;
}

/** Maps offsets to 1-based line and column with a binary search over line starts. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): LineCol {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }

  /** The length of a 1-based line, without its line break (`\n` or `\r\n`). */
  lineLength(line: number): number {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return end > start && this.text.charCodeAt(end - 1) === 13 ? end - 1 - start : end - start;
  }

  /** The text of a 1-based line, without its line break; only columns [from, to) if given. */
  lineText(line: number, from = 0, to = Infinity): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const length = this.lineLength(line);
    return this.text.slice(start + Math.min(from, length), start + Math.min(to, length));
  }
}

/** `file:line:col: error E201: message`, the form tests and CI compare. */
export function formatShort(d: Diagnostic, file: SourceText): string {
  const src = d.source ?? file;
  const where = d.span ? positionLabel(src, d.span) : src.name;
  return `${where}: ${d.severity} ${d.code}: ${d.message}`;
}

function positionLabel(src: SourceText, s: Span): string {
  const { line, column } = lineMapOf(src).position(s.start);
  return `${src.name}:${line}:${column}`;
}

const MAX_SHOWN_COLUMNS = 160;

/** The short form, then the source with one line of context each side and a caret under the span. */
export function formatDiagnostic(d: Diagnostic, file: SourceText): string {
  const out = [formatShort(d, file)];
  const src = d.source ?? file;
  if (d.span) out.push(...excerpt(src, d.span));
  if (d.related) {
    out.push(`  note: ${d.related.message} (${positionLabel(file, d.related.span)})`);
  }
  return out.join("\n");
}

function excerpt(src: SourceText, s: Span): string[] {
  const map = lineMapOf(src);
  const { line, column } = map.position(s.start);
  const first = Math.max(1, line - 1);
  const last = Math.min(map.lineCount(), line + 1);
  const width = String(last).length;
  // On a very long line, show a window that keeps the caret in view (same window for context lines).
  const shift = column - 1 > MAX_SHOWN_COLUMNS - 40 ? column - 1 - 40 : 0;
  const lines: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? ">" : " ";
    lines.push(`${marker} ${String(n).padStart(width)} | ${window(map, n, shift)}`.trimEnd());
    if (n === line) {
      const lineEnd = s.start - column + 1 + map.lineLength(n);
      const length = Math.max(1, Math.min(s.end, lineEnd) - s.start);
      const caretAt = column - 1 - shift + (shift > 0 ? 1 : 0);
      const tildes = Math.max(0, Math.min(length, MAX_SHOWN_COLUMNS - caretAt) - 1);
      lines.push(`  ${" ".repeat(width)} | ${" ".repeat(caretAt)}^${"~".repeat(tildes)}`);
    }
  }
  return lines;
}

// Control characters and very long lines (a file of random bytes) must not wreck the terminal.
// Only the part shown is read, so a diagnostic on a line of a megabyte costs no more than any.
function window(map: LineMap, line: number, shift: number): string {
  if (shift > 0 && map.lineLength(line) <= shift) return "";
  const part = map.lineText(line, shift, shift + MAX_SHOWN_COLUMNS + 1);
  const clean = part.replace(/\t/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "\u00b7");
  const shown = shift > 0 ? `…${clean}` : clean;
  return shown.length > MAX_SHOWN_COLUMNS ? `${shown.slice(0, MAX_SHOWN_COLUMNS)}…` : shown;
}

/** Thrown only by the CLI boundary and `compileOrThrow()`. */
export class CompileError extends Error {
  override readonly name = "CompileError";

  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly file: SourceText,
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d, file)).join("\n\n"));
  }
}
