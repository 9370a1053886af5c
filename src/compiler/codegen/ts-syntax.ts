// The one place that decides whether generated code carries TypeScript annotations: every piece
// of type syntax an emitter writes goes through here, and comes out empty for JavaScript.

export class TsSyntax {
  constructor(readonly typed: boolean) {}

  /** `: T` after a binding or a parameter list. */
  type(t: string): string {
    return this.typed ? `: ${t}` : "";
  }

  /** ` as T` after an expression. */
  as(t: string): string {
    return this.typed ? ` as ${t}` : "";
  }

  /** `<T>` type arguments. */
  args(t: string): string {
    return this.typed ? `<${t}>` : "";
  }

  /** `!`, the non-null assertion strict TypeScript wants on map and typed-array reads. */
  get bang(): string {
    return this.typed ? "!" : "";
  }

  /** `name: T` as a parameter, or `name`. */
  param(name: string, t: string): string {
    return `${name}${this.type(t)}`;
  }

  /** Whole text that differs between the two forms. */
  pick(ts: string, js: string): string {
    return this.typed ? ts : js;
  }
}
