import { charClass, runEnd } from './chars.js';
import { UNLIMITED, type Tick } from './deadline.js';
import type { Detector, Finding } from './types.js';

const BEGIN = '-----BEGIN ';
const END = '-----END ';
/** How far after its header the end line of a key is looked for. */
const MAX_KEY = 65536;
/** `-----BEGIN <kind>-----` where the kind names a private key. */
const HEADER = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const END_LINE = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
/** What the body of a key cut short is made of (base64, headers like `Proc-Type: 4,ENCRYPTED`, line breaks). */
const BODY = charClass('A-Za-z0-9+/=:,. \t\r\n-');

/** End of a body: body characters and `\r`/`\n` escapes (a key inside a JSON string). */
function bodyEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    i = runEnd(text, i, BODY);
    if (text.charCodeAt(i) === 92 && (text[i + 1] === 'n' || text[i + 1] === 'r')) i += 2;
    else return i;
  }
}

/**
 * PEM private keys (RSA, EC, OpenSSH, PKCS#8, PGP): from the header to the first end line within
 * {@link MAX_KEY} characters, or, for a key cut short (`head key.pem`), to the end of its body. The end
 * lines are located once per text, so a text of headers without end lines costs one pass.
 */
export function findPrivateKeys(text: string, hits: readonly number[], tick: Tick = UNLIMITED): Finding[] {
  const findings: Finding[] = [];
  let ends: number[] | undefined;
  let endIndex = 0;
  let covered = 0;
  for (const at of hits) {
    if (at < covered) continue;
    tick();
    HEADER.lastIndex = at;
    if (!HEADER.test(text)) continue;
    const headerEnd = HEADER.lastIndex;
    if (!ends) {
      ends = [];
      for (let e = text.indexOf(END, headerEnd); e !== -1; e = text.indexOf(END, e + END.length)) {
        tick();
        ends.push(e);
      }
    }
    while (endIndex < ends.length && ends[endIndex]! < headerEnd) endIndex++;
    let end = -1;
    const next = ends[endIndex];
    if (next !== undefined && next - headerEnd <= MAX_KEY) {
      END_LINE.lastIndex = next;
      if (END_LINE.test(text)) end = END_LINE.lastIndex;
    }
    if (end === -1) end = bodyEnd(text, headerEnd);
    findings.push({ start: at, end, label: 'private-key' });
    covered = end;
  }
  return findings;
}

export const privateKeyDetector: Detector = { labels: ['private-key'], hints: [BEGIN], find: findPrivateKeys };
