// Criterion Object: `regex` conditions (ECMAScript regular expressions against the context value).

/** Longest context text a regex is run on; longer input fails the criterion instead of risking time. */
export const MAX_REGEX_INPUT = 64 * 1024;

/**
 * Heuristic guard against catastrophic backtracking. JavaScript regexes backtrack, and a pattern such
 * as `(a+)+$` or `(a|a)*$` takes exponential time on a short hostile input, which no input bound can fix.
 * We refuse a pattern in which a group that repeats (quantifier allowing more than one repetition)
 * contains a variable quantifier (`*`, `+`, `?`, `{n,m}`), a back-reference, or an alternation whose
 * branches are not plain literals with distinct first characters. This has false positives such as
 * `(\d{3}-?)+` (rare in success criteria, reported clearly) and no false negatives for the classic
 * exponential shapes (nested quantifiers, overlapping alternation). Quadratic shapes like `a*a*$` remain;
 * the 64 KiB input bound keeps them to milliseconds.
 * Returns a reason when the pattern is refused.
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: grammar: one scanner over regex syntax; splitting it would scatter its state
export function unsafePatternReason(pattern: string): string | undefined {
  interface Group {
    start: number;
    risky: boolean;
    branches: string[];
    branchStart: number;
    literalBranches: boolean;
  }
  const stack: Group[] = [{ start: -1, risky: false, branches: [], branchStart: 0, literalBranches: true }];
  let inClass = false;
  let lastAtomRisky = false;
  const top = (): Group => stack[stack.length - 1]!;

  const quantifierAt = (i: number): { len: number; repeats: boolean; variable: boolean } | undefined => {
    const c = pattern[i];
    let len = 0;
    let repeats = false;
    let variable = false;
    if (c === '*' || c === '+') {
      len = 1;
      repeats = true;
      variable = true;
    } else if (c === '?') {
      len = 1;
      variable = true;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) return undefined;
      len = m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      repeats = max > 1;
      variable = max !== min;
    } else return undefined;
    if (pattern[i + len] === '?') len++;
    return { len, repeats, variable };
  };

  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (!inClass && /[1-9k]/.test(n)) top().risky = true;
      top().literalBranches &&= !/[dDwWsSbBpPuxck0-9]/.test(n);
      i++;
      lastAtomRisky = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      top().literalBranches = false;
      lastAtomRisky = false;
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, risky: false, branches: [], branchStart: i + 1, literalBranches: true });
      if (pattern[i + 1] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        const m = /^\(\?(<[A-Za-z_$][\w$]*>|<=|<!|[:=!])/.exec(pattern.slice(i));
        if (m) {
          i += m[0].length - 1;
          top().branchStart = i + 1;
        }
      }
      continue;
    }
    if (c === '|') {
      const g = top();
      g.branches.push(pattern.slice(g.branchStart, i));
      g.branchStart = i + 1;
      continue;
    }
    if (c === ')') {
      const g = stack.length > 1 ? stack.pop()! : top();
      if (g.branches.length > 0) {
        g.branches.push(pattern.slice(g.branchStart, i));
        const firsts = g.branches.map((b) => b[0] ?? '');
        const distinct = new Set(firsts).size === firsts.length && !firsts.includes('');
        if (!(g.literalBranches && distinct)) g.risky = true;
      }
      lastAtomRisky = g.risky;
      if (g.risky) top().risky = true;
      // A group as a branch of its parent is not a plain literal (`((a)|a)*` overlaps).
      top().literalBranches = false;
      const q = quantifierAt(i + 1);
      if (q?.repeats && g.risky) {
        return `pattern "${pattern}" repeats a group (offset ${g.start}) that contains a quantifier, alternation or back-reference; such patterns can take exponential time, so it is not run`;
      }
      continue;
    }
    const q = quantifierAt(i);
    if (q) {
      if (q.variable) top().risky = true;
      if (q.repeats && lastAtomRisky) {
        return `pattern "${pattern}" has nested quantifiers at offset ${i}; such patterns can take exponential time, so it is not run`;
      }
      i += q.len - 1;
      lastAtomRisky = false;
      continue;
    }
    if ('.^$'.includes(c ?? '')) top().literalBranches = false;
    lastAtomRisky = false;
  }
  return undefined;
}

/** Compile a regex condition. Returns the RegExp or a reason it cannot be used. */
export function compileRegex(pattern: string): RegExp | string {
  const unsafe = unsafePatternReason(pattern);
  if (unsafe !== undefined) return unsafe;
  try {
    return new RegExp(pattern);
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
}
