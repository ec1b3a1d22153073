/** Spans `[start, end)` of inline code (backtick runs closed by a run of the same length). */
function codeSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ at: m.index, len: m[0].length }));
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    const close = runs.findIndex((r, j) => j > i && r.len === open.len);
    if (close === -1) continue;
    spans.push([open.at, runs[close]!.at + runs[close]!.len]);
    i = close;
  }
  return spans;
}

const MARKER = /\[REDACTED:[^\]\s]{0,64}\]/g;

/**
 * Shorten text to at most `max` characters (ending in `…`), cutting where a reader expects a break: after
 * a sentence, a line, a list separator (`; `, ` → `, `, `), else between words. Never inside inline code
 * (a span that does not fit is dropped whole) and never inside a redaction marker, so markdown stays valid.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const limit = Math.max(1, max - 1);
  const blocked: Array<[number, number]> = [
    ...codeSpans(text),
    ...[...text.matchAll(MARKER)].map((m): [number, number] => [m.index, m.index + m[0].length]),
  ];
  const inside = (at: number) => blocked.some(([s, e]) => at > s && at < e);
  const breaks: Array<[RegExp, number]> = [
    [/[.!?](?=\s)|\n/g, 1],
    [/; | → |, /g, 0],
    [/\s/g, 0],
  ];
  for (const [pattern, keep] of breaks) {
    let best = -1;
    for (const m of text.matchAll(pattern)) {
      const cut = m.index + (keep ? m[0].length : 0);
      if (cut > limit) break;
      if (cut > 0 && !inside(cut)) best = cut;
    }
    // A break too early would throw most of the text away; try a finer one first.
    if (best >= limit / 2) return `${text.slice(0, best).trimEnd()}…`;
  }
  let cut = limit;
  for (const [s, e] of blocked) if (cut > s && cut < e) cut = s;
  return `${text.slice(0, cut).trimEnd()}…`;
}
