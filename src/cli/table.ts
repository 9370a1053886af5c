// Plain-text tables: columns padded to their widest cell, numbers right-aligned. Cells may quote
// files (tensor names, folder names), so they are shown with control characters escaped.
import { printable } from "../shared/printable.js";

export function table(
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number> = new Set(),
): string[] {
  const widths: number[] = [];
  rows = rows.map((row) => row.map(printable));
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

export function sci(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return "inf";
  return x.toExponential(1);
}
