// Comparing what two IRs compute: bit for bit, or within a scaled error bound. NaN must meet NaN
// and an infinity the same infinity; neither is ever "close" to anything else.

/** Whether every element is the same float64, NaN matching NaN and -0 matching only -0. */
export function identical(got: ArrayLike<number>, want: ArrayLike<number>): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return false;
  return true;
}

/**
 * The largest |got - want| / max(1, |want|): absolute for values below 1, relative above.
 * Infinity when the lengths differ or a NaN or an infinity is not matched exactly.
 */
export function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (Number.isNaN(g) || Number.isNaN(w) || !Number.isFinite(g) || !Number.isFinite(w)) {
      if (!Object.is(g, w)) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(g - w) / Math.max(1, Math.abs(w)));
  }
  return worst;
}
