// "Did you mean": the one suggestion helper for every misspellable name (stepIds, workflowIds, sources, outputs, inputs, operations).

/** '; did you mean "a", "b"?' for the closest names (edit distance, case-insensitive), or ''. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const want = name.toLowerCase();
  const limit = Math.max(2, Math.floor(want.length / 3));
  const scored: Array<{ c: string; d: number }> = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (Math.abs(lc.length - want.length) > limit && !lc.includes(want) && !want.includes(lc)) continue;
    const d =
      lc.includes(want) || want.includes(lc)
        ? Math.min(1, editDistance(want, lc, limit))
        : editDistance(want, lc, limit);
    // A name that must be rewritten entirely ("zz" for "a") is no suggestion.
    if (d <= limit && d < Math.max(lc.length, want.length)) scored.push({ c, d });
  }
  scored.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  const best = scored.slice(0, 3).map((s) => `"${s.c}"`);
  return best.length === 0 ? '' : `; did you mean ${best.join(', ')}?`;
}

/** Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}
