// Turns values from a `.cell` file into safe JavaScript text: numbers into literals, names into
// quoted strings, source lines into comments that cannot end early.

export function numberLiteral(v: number): string {
  if (Object.is(v, -0)) return "-0";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  return String(v);
}

/** A double-quoted string literal (JSON's escaping is valid JavaScript). */
export function stringLiteral(s: string): string {
  return JSON.stringify(s);
}

/**
 * Text from a `.cell` file for a `//` comment: printable ASCII only, since U+2028 and U+2029 would
 * end the comment and let the rest of the line run as code.
 */
export function commentText(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?").trim();
}
