/** Longest token kept; longer runs (base64 blobs, minified code) are not searchable words. */
export const MAX_TOKEN_LENGTH = 64;

const WORD = /[\p{L}\p{N}_]+/gu;

/** The searchable words of a text, lower-cased, in order. `ECONNREFUSED` → `econnrefused`; `billing-stripe` → `billing`, `stripe`. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (word.length <= MAX_TOKEN_LENGTH) out.push(word.toLowerCase());
  }
  return out;
}

/** Each word of a text with where it starts and ends, for highlighting. */
export function tokenSpans(text: string): Array<{ word: string; start: number; end: number }> {
  const out: Array<{ word: string; start: number; end: number }> = [];
  for (const match of text.matchAll(WORD)) {
    if (match[0].length <= MAX_TOKEN_LENGTH)
      out.push({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  }
  return out;
}
