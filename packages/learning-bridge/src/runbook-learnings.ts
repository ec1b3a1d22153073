import type { Investigation } from './investigation-types.js';
import { UNKNOWN } from './investigation-types.js';

/** The comment that marks one investigation's entry in a runbook, so applying twice changes nothing. */
export function learningMarker(investigationId: string): string {
  return `<!-- runbook-learning: ${investigationId} -->`;
}

export const LEARNINGS_HEADING = '## Incident learnings';

/** One dated entry: heading, marker, body. */
export function learningEntry(inv: Investigation, title: string, body: string): string {
  const date = inv.startedAt === UNKNOWN ? 'undated' : inv.startedAt.slice(0, 10);
  return `### ${date} — ${inv.incidentId}: ${title}\n\n${learningMarker(inv.id)}\n\n${body.trim()}\n`;
}

/**
 * Add an entry under the runbook's "Incident learnings" section (creating the section at the end when
 * missing). Returns the text unchanged when this investigation's marker is already there.
 */
export function insertLearning(text: string, inv: Investigation, entry: string): string {
  if (text.includes(learningMarker(inv.id))) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().toLowerCase() === LEARNINGS_HEADING.toLowerCase());
  if (start === -1) return `${text.trimEnd()}\n\n${LEARNINGS_HEADING}\n\n${entry}`;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^#{1,2}\s/.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  const before = lines.slice(0, end).join('\n').trimEnd();
  const after = lines.slice(end).join('\n');
  return after.trim() ? `${before}\n\n${entry}\n${after}` : `${before}\n\n${entry}`;
}
