import type { IndexDoc } from './documents.js';
import type { SessionProfile } from './profile.js';
import { tokenize } from './tokenize.js';

/** File name of the digest the hook reads for recall, inside the index directory. */
export const RECALL_FILE = 'recall.json';

/** One past learning the hook may quote: a fix that worked, or a runbook or postmortem's gist. */
export interface RecallEntry {
  /** Where it came from, e.g. `session 3f2a… (2026-11-20)` or `.runbook/runbooks/payments.md`. */
  source: string;
  text: string;
  /** Distinct words (3+ characters) it is found by. */
  words: string[];
  /** ISO-8601; newer entries win ties. */
  time: string;
}

export interface RecallDigest {
  format: 1;
  entries: RecallEntry[];
}

const MAX_ENTRIES = 400;
const MAX_TEXT = 400;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const wordsOf = (text: string) => [...new Set(tokenize(text).filter((w) => w.length >= 3))].slice(0, 80);

/** The lines of a markdown document worth recalling: its title and any root cause, fix or resolution lines. */
function gist(text: string): string {
  const body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');
  const lines = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const title = lines.find((l) => l.startsWith('# '))?.slice(2) ?? lines[0] ?? '';
  const telling = lines
    .filter((l) => /root cause|fix|resolution|resolved|workaround|mitigat/i.test(l) && !l.startsWith('# '))
    .slice(0, 4);
  return [title, ...telling].join(' — ');
}

const day = (iso: string) => iso.slice(0, 10);

/** Build the digest from session profiles (fixes that worked) and the project's runbooks and postmortems. */
export function buildRecallDigest(profiles: readonly SessionProfile[], files: readonly IndexDoc[]): RecallDigest {
  const entries: RecallEntry[] = [];
  for (const profile of profiles) {
    for (const failure of profile.failures) {
      if (!failure.fix) continue;
      const text = clip(`${failure.example} — fixed by: ${failure.fix}`, MAX_TEXT);
      entries.push({
        source: `session ${profile.sessionId} (${day(failure.lastAt)})`,
        text,
        words: wordsOf(`${failure.example} ${failure.fix} ${profile.services.join(' ')}`),
        time: failure.lastAt,
      });
    }
  }
  for (const file of files) {
    if (file.eventName !== 'runbook' && file.eventName !== 'postmortem' && file.eventName !== 'knowledge') continue;
    const text = clip(gist(file.text), MAX_TEXT);
    if (!text) continue;
    entries.push({
      source: file.ref,
      text,
      words: wordsOf(file.text.slice(0, 4000)),
      time: new Date(file.time).toISOString(),
    });
  }
  entries.sort((a, b) => b.time.localeCompare(a.time));
  return { format: 1, entries: entries.slice(0, MAX_ENTRIES) };
}
