// Removes every `span` from an AST (or any plain data), so trees that differ only in where their
// nodes came from compare equal. Returns fresh objects; the input is not touched.

export type WithoutSpans<T> = T extends readonly (infer U)[]
  ? WithoutSpans<U>[]
  : T extends object
    ? { [K in keyof T as K extends "span" ? never : K]: WithoutSpans<T[K]> }
    : T;

export function stripSpans<T>(value: T): WithoutSpans<T> {
  if (Array.isArray(value)) return value.map((v: unknown) => stripSpans(v)) as WithoutSpans<T>;
  if (value === null || typeof value !== "object") return value as WithoutSpans<T>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== "span") out[key] = stripSpans(v);
  return out as WithoutSpans<T>;
}
