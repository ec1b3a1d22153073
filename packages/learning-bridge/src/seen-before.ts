import { inertMarkdown } from './statement-text.js';

/** An earlier session with the same failures, as the session index found it. */
export interface SeenBefore {
  sessionId: string;
  /** ISO-8601 time of that session's last event. */
  lastSeen: string;
  /** How alike the two sessions are (higher is more). */
  score: number;
  /** What the sessions share: normalised errors, failing commands, services, files. */
  shared: string[];
  /** What fixed the shared failures then, when known. */
  fixes: string[];
  /** Postmortems and summaries written for that session, relative to the project. */
  artifacts: string[];
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The "Seen before" section of a postmortem or summary; empty when there is nothing to show. */
export function renderSeenBefore(items: readonly SeenBefore[], redact: (text: string) => string = (t) => t): string {
  if (items.length === 0) return '';
  const out = [
    '## Seen before',
    '',
    'Earlier sessions with the same failures (`runbook integrations claude similar` shows more):',
    '',
  ];
  for (const item of items) {
    const text = (s: string, max: number) => inertMarkdown(clip(redact(s).replace(/\s+/g, ' '), max));
    out.push(`- Session ${text(item.sessionId, 120)}, ${item.lastSeen.slice(0, 10)} (score ${item.score})`);
    for (const shared of item.shared.slice(0, 3)) out.push(`  - shared: ${text(shared, 240)}`);
    for (const fix of item.fixes.slice(0, 2)) out.push(`  - fix that worked then: ${text(fix, 300)}`);
    for (const artifact of item.artifacts.slice(0, 2)) out.push(`  - written up in ${text(artifact, 200)}`);
  }
  return `${out.join('\n')}\n`;
}
