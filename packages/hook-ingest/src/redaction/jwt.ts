import { BASE64URL, WORD, inClass, runEnd } from './chars.js';
import { UNLIMITED, type Tick } from './deadline.js';
import type { Detector, Finding } from './types.js';

const SEGMENT_MIN = 8; // `eyJ` and at least five more characters

/**
 * JSON Web Tokens: `eyJ<header>.eyJ<payload>.<signature>`. A hand-written scan, linear in the text: a
 * hint that fails skips every later hint inside the same run of token characters, which would fail alike
 * (text of `-eyJ` repeated made the equivalent regular expression quadratic).
 */
export function findJwts(text: string, hits: readonly number[], tick: Tick = UNLIMITED): Finding[] {
  const findings: Finding[] = [];
  let covered = 0;
  for (const at of hits) {
    if (at < covered) continue;
    tick();
    if (at > 0 && inClass(WORD, text.charCodeAt(at - 1))) continue;
    const headerEnd = runEnd(text, at, BASE64URL);
    covered = headerEnd;
    if (headerEnd - at < SEGMENT_MIN || text.charCodeAt(headerEnd) !== 46 || !text.startsWith('eyJ', headerEnd + 1))
      continue;
    const payloadEnd = runEnd(text, headerEnd + 1, BASE64URL);
    if (payloadEnd - headerEnd - 1 < SEGMENT_MIN || text.charCodeAt(payloadEnd) !== 46) continue;
    const end = runEnd(text, payloadEnd + 1, BASE64URL);
    findings.push({ start: at, end, label: 'jwt' });
    covered = end;
  }
  return findings;
}

export const jwtDetector: Detector = { labels: ['jwt'], hints: ['eyJ'], find: findJwts };
