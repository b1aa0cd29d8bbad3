// v2's text search on MongoDB without a search field of ours in the original's documents: a pattern that matches
// the raw text wherever its search form (stream-facets.ts searchForm: NFKC, lower case) contains the needle, for
// the forms a schedule shows — Latin letters and digits in either width and case, half-width katakana (ｶﾞ = ガ),
// any run of spaces (also the ideographic one). Other compatibility forms NFKC folds (①, ㌔) are not covered.

export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Full-width katakana (and marks) → their half-width spellings, from NFKC itself. */
const HALF_WIDTH = new Map<string, string[]>();
for (let cp = 0xff61; cp <= 0xff9f; cp++) {
  const half = String.fromCodePoint(cp);
  for (const spelling of [half, `${half}\uff9e`, `${half}\uff9f`]) {
    const full = spelling.normalize('NFKC');
    if (Array.from(full).length !== 1) continue;
    HALF_WIDTH.set(full, [...(HALF_WIDTH.get(full) ?? []), spelling]);
  }
}

const fullWidth = (ch: string): string => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0);

function spellings(ch: string): string[] {
  if (/\s/.test(ch)) return [];
  const forms = new Set([ch]);
  if (/^[!-~]$/.test(ch)) {
    for (const c of [ch, ch.toUpperCase()]) {
      forms.add(c);
      forms.add(fullWidth(c));
    }
  }
  for (const half of HALF_WIDTH.get(ch) ?? []) forms.add(half);
  return [...forms];
}

/** The pattern (for a case-insensitive RegExp) of a needle already in search form. */
export function textPattern(needle: string): string {
  return Array.from(needle)
    .map((ch) => {
      // The ideographic space itself, not an escape: PCRE (MongoDB) and RE2 (FerretDB) spell escapes differently.
      if (/\s/.test(ch)) return '[\\s\u3000]+';
      const forms = spellings(ch).map(escapeRegex);
      return forms.length === 1 ? forms[0]! : `(?:${forms.join('|')})`;
    })
    .join('');
}
