// Hands out JavaScript identifiers for generated code. A name from a `.cell` file is used only if
// it is a plain identifier that is neither reserved nor taken; otherwise a generated one is used.
// `c'` becomes `c_next`; collisions get a number: `f`, `f2`, `f3`.

const RESERVED = new Set([
  ...["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete"],
  ...["do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if"],
  ...["import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw"],
  ...["true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static"],
  ...["implements", "interface", "package", "private", "protected", "public", "await", "async"],
  ...["arguments", "eval", "undefined", "NaN", "Infinity", "globalThis", "Math", "Object"],
  ...["Array", "Map", "Set", "Error", "Number", "Float32Array", "Float64Array", "Int32Array"],
  ...["Uint8Array", "WebAssembly", "SharedArrayBuffer", "Atomics", "Worker", "JSON", "String"],
  ...["type", "of", "as", "any", "number", "string", "boolean", "unknown", "never", "object"],
]);

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isSafeIdentifier(name: string): boolean {
  return PLAIN_IDENTIFIER.test(name) && !RESERVED.has(name) && name.length <= 64;
}

export class NameManager {
  private readonly taken = new Set<string>();

  /** Reserves names that generated code uses itself (helpers, runtime functions). */
  reserve(...names: string[]): void {
    for (const n of names) this.taken.add(n);
  }

  /** A fresh identifier based on `hint` (a source name, possibly primed) or on `fallback`. */
  claim(hint: string | undefined, fallback = "v"): string {
    const base =
      hint === undefined ? fallback : hint.endsWith("'") ? `${hint.slice(0, -1)}_next` : hint;
    const root = isSafeIdentifier(base) ? base : fallback;
    let name = root;
    for (let i = 2; this.taken.has(name) || RESERVED.has(name); i++) name = `${root}${i}`;
    this.taken.add(name);
    return name;
  }
}
