// Symbolic sizes as JavaScript arithmetic over the kernel's size constants: `4 * H + I`.
import type { Size } from "../../shared/size.js";

export function sizeJs(size: Size, vars: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const t of size.terms) {
    const name = vars.get(t.name);
    if (!name) throw new Error(`internal: no variable for size '${t.name}'`);
    const magnitude = Math.abs(t.coeff);
    const term = magnitude === 1 ? name : `${magnitude} * ${name}`;
    parts.push(
      parts.length === 0 ? (t.coeff < 0 ? `-${term}` : term) : `${t.coeff < 0 ? "-" : "+"} ${term}`,
    );
  }
  if (size.constant !== 0 || parts.length === 0) {
    const c = size.constant;
    parts.push(parts.length === 0 ? String(c) : `${c < 0 ? "-" : "+"} ${Math.abs(c)}`);
  }
  return parts.join(" ");
}

/** For use as a factor: parenthesised unless it is a single name or number. */
export function sizeFactor(size: Size, vars: ReadonlyMap<string, string>): string {
  const text = sizeJs(size, vars);
  return /^[\w.]+$/.test(text) ? text : `(${text})`;
}

export function isZero(size: Size): boolean {
  return size.constant === 0 && size.terms.length === 0;
}
