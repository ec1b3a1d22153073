import { UNLIMITED, type Tick } from './deadline.js';
import type { Detector, Finding } from './types.js';

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}/;

/**
 * E-mail addresses (`[REDACTED:email]`), found from each `@` outwards so text without one costs a single
 * `indexOf`. Off by default: addresses are personal data, not credentials.
 */
export function findEmails(text: string, _hits: readonly number[] = [], tick: Tick = UNLIMITED): Finding[] {
  const findings: Finding[] = [];
  let at = text.indexOf('@');
  let floor = 0;
  while (at !== -1) {
    tick();
    let start = at;
    while (start > floor && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    const domain = start < at ? DOMAIN.exec(text.slice(at + 1, at + 256)) : null;
    if (domain && !/^[.]|[.]$/.test(text.slice(start, at))) {
      const end = at + 1 + domain[0].length;
      findings.push({ start, end, label: 'email' });
      floor = end;
      at = text.indexOf('@', end);
    } else {
      at = text.indexOf('@', at + 1);
    }
  }
  return findings;
}

export const emailDetector: Detector = { labels: ['email'], hints: ['@'], find: findEmails };
