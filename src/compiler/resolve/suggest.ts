// "did you mean …": the closest known name by edit distance, when it is close enough to be a typo.
// A change of case costs half an edit, so `hh` suggests `h` before `H`.

/**
 * Once a file has this many diagnostics, further unknown names get no suggestion: each costs a
 * scan of every known name, which for thousands of unknown names would be quadratic.
 */
export const MAX_SUGGESTING = 100;

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1]!;
      const y = b[j - 1]!;
      const cost = x === y ? 0 : x.toLowerCase() === y.toLowerCase() ? 0.5 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A `; did you mean 'x'?` suffix, or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  // A one-letter name only suggests a change of case: any letter is one edit from any other.
  const limit = name.length === 1 ? 0.5 : Math.min(2, Math.max(1, Math.floor(name.length / 2)));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === null ? "" : `; did you mean '${best}'?`;
}

/** didYouMean while `reported` (the diagnostics so far) is short; the candidates are listed lazily. */
export function suggestion(
  name: string,
  candidates: () => Iterable<string>,
  reported: readonly unknown[],
): string {
  return reported.length < MAX_SUGGESTING ? didYouMean(name, candidates()) : "";
}
