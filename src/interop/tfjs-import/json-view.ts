// Typed reads of a parsed model.json: own properties only (a key such as `__proto__` is data), and
// a wrong or missing value is a DataError naming the file, the value's path and what was found.
import { DataError } from "../../shared/data-error.js";
import { previewJson } from "../../runtime/json-text.js";

export class JsonView {
  constructor(
    readonly value: unknown,
    readonly path: string,
    readonly source: string,
  ) {}

  fail(detail: string): DataError {
    return new DataError(this.source, null, `${this.path}: ${detail}`);
  }

  private expected(what: string): DataError {
    return this.fail(`expected ${what}, found ${previewJson(this.value)}`);
  }

  get isObject(): boolean {
    return typeof this.value === "object" && this.value !== null && !Array.isArray(this.value);
  }

  get isMissing(): boolean {
    return this.value === undefined || this.value === null;
  }

  /** The member `key` (undefined when absent), for reading further. */
  at(key: string): JsonView {
    if (!this.isObject) throw this.expected("an object");
    const record = this.value as Record<string, unknown>;
    const v = Object.hasOwn(record, key) ? record[key] : undefined;
    return new JsonView(v, `${this.path}.${key}`, this.source);
  }

  items(): JsonView[] {
    if (!Array.isArray(this.value)) throw this.expected("an array");
    return this.value.map((v: unknown, i) => new JsonView(v, `${this.path}[${i}]`, this.source));
  }

  string(): string {
    if (typeof this.value !== "string") throw this.expected("a string");
    return this.value;
  }

  number(): number {
    if (typeof this.value !== "number" || !Number.isFinite(this.value))
      throw this.expected("a number");
    return this.value;
  }

  /** A whole number from 1 to `max`. */
  count(max: number): number {
    const n = this.number();
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw this.expected(`a whole number from 1 to ${max}`);
    return n;
  }

  boolean(fallback: boolean): boolean {
    if (this.isMissing) return fallback;
    if (typeof this.value !== "boolean") throw this.expected("true or false");
    return this.value;
  }

  optionalString(fallback: string): string {
    return this.isMissing ? fallback : this.string();
  }
}
