// "did you mean …": the closest known name by edit distance, when it is close enough to be a typo.

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A `; did you mean 'x'?` suffix, or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | null = null;
  let bestDistance = Math.min(2, Math.floor(name.length / 2));
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d <= bestDistance && c !== name) {
      best = c;
      bestDistance = d - 1;
    }
  }
  return best === null ? "" : `; did you mean '${best}'?`;
}
