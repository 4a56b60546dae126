/**
 * The ledger's search text: what the full-text index holds for a problem, and the index query a
 * search word becomes. Chinese has no spaces, and the words a clerk types are mostly two characters
 * (垃圾, 占道, 绿化), so the index holds every pair of neighbouring characters as one token (bigrams,
 * as CJK search engines index Chinese; SQLite's trigram tokenizer cannot find a two-character word,
 * which then took a scan of every row). A word is found as the phrase of its pairs — consecutive
 * tokens, so exactly where it occurs as a substring — and a single character by the pairs it starts.
 *
 * Each character is written as its code point in four base-36 digits, so a pair is an eight-letter
 * ASCII token whatever the script (FTS5's `ascii` tokenizer reads it as one word) and a single
 * character's prefix query cannot run into the next code point. Text is lower-cased first: Latin
 * letters (a unit's 英文名, "ktv") match either way.
 *
 * @example
 * searchTokens('垃圾 外溢') // '0hab0h8e 0h8e 0hli0luq 0luq': 垃圾, 圾 (before a space), 外溢, 溢
 * searchMatch(['垃圾', '外'])  // '"0hab0h8e" AND 0hli*'
 */

const code = (c: number) => c.toString(36).padStart(4, '0');

/** The index text of `texts` (description, place name, address): their character pairs as tokens. */
export function searchTokens(...texts: (string | null | undefined)[]): string {
  const out: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    const chars = [...text.toLowerCase()].map((ch) => (/\s/.test(ch) ? -1 : ch.codePointAt(0)!));
    for (let i = 0; i < chars.length; i++) {
      if (chars[i] < 0) continue;
      // The last character before a space or the end stands alone, so that one-character searches find it.
      out.push(i + 1 < chars.length && chars[i + 1] >= 0 ? code(chars[i]) + code(chars[i + 1]) : code(chars[i]));
    }
  }
  return out.join(' ');
}

/** The FTS5 query for `words` (each to be found as a substring somewhere in the text); null for none. */
export function searchMatch(words: readonly string[]): string | null {
  const terms = words
    .map((w) => [...w.toLowerCase()].filter((ch) => !/\s/.test(ch)).map((ch) => ch.codePointAt(0)!))
    .filter((cs) => cs.length > 0)
    .map((cs) => {
      if (cs.length === 1) return `${code(cs[0])}*`;
      const pairs: string[] = [];
      for (let i = 0; i + 1 < cs.length; i++) pairs.push(code(cs[i]) + code(cs[i + 1]));
      return `"${pairs.join(' ')}"`;
    });
  return terms.length ? terms.join(' AND ') : null;
}
