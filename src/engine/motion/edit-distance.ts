// Edit distance for matching typed motion words: the optimal-string-alignment variant of
// Damerau-Levenshtein, so a swapped pair of letters ("swya" for "sway") costs one edit, as people type.

/** Insertions, deletions, substitutions and adjacent transpositions needed to turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const width = b.length + 1;
  // Three rows: the one before the previous (for transpositions), the previous and the current.
  let older = new Int32Array(width);
  let previous = new Int32Array(width);
  let current = new Int32Array(width);
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, older[j - 2]! + 1);
      }
      current[j] = best;
    }
    [older, previous, current] = [previous, current, older];
  }
  return previous[b.length]!;
}
