import { anyWordRegExp, type QueryClause } from './query.js';

export interface Snippet {
  /** A window of the document's text, on one line. */
  text: string;
  /** `[start, end)` character ranges of `text` that matched the query. */
  highlights: Array<[number, number]>;
}

const WIDTH = 200;
const MAX_HITS = 64;

/** The part of a text where the query's words are densest, with the matching words marked. */
export function makeSnippet(text: string, clauses: readonly QueryClause[]): Snippet {
  const hits: Array<{ start: number; end: number }> = [];
  const pattern = anyWordRegExp(clauses);
  for (let m = pattern.exec(text); m && hits.length < MAX_HITS; m = pattern.exec(text))
    hits.push({ start: m.index, end: m.index + m[0].length });
  let start = 0;
  if (hits.length > 0) {
    // The window (starting a little before a hit) that covers the most hits.
    let best = 0;
    let bestCount = -1;
    let j = 0;
    for (let i = 0; i < hits.length; i++) {
      while (j < hits.length && hits[j]!.end - hits[i]!.start <= WIDTH - 20) j++;
      if (j - i > bestCount) {
        bestCount = j - i;
        best = i;
      }
    }
    start = Math.max(0, hits[best]!.start - 30);
    // Start at a word boundary when one is near.
    const space = text.slice(start, hits[best]!.start).search(/\s/);
    if (start > 0 && space !== -1) start += space + 1;
  }
  const end = Math.min(text.length, start + WIDTH);
  const raw = text.slice(start, end);
  const lead = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  // One line: new lines and tabs become spaces (same length, so offsets hold).
  const flat = raw.replace(/[\r\n\t]/g, ' ');
  const highlights: Array<[number, number]> = hits
    .filter((span) => span.start >= start && span.end <= end)
    .map((span) => [span.start - start + lead.length, span.end - start + lead.length]);
  return { text: `${lead}${flat}${tail}`, highlights };
}

/** A snippet with its matches between the given marks, e.g. `«` and `»`. */
export function markSnippet(snippet: Snippet, open: string, close: string): string {
  let out = '';
  let at = 0;
  for (const [s, e] of snippet.highlights) {
    out += snippet.text.slice(at, s) + open + snippet.text.slice(s, e) + close;
    at = e;
  }
  return out + snippet.text.slice(at);
}
