import type { Investigation } from './investigation-types.js';
import { UNKNOWN } from './investigation-types.js';

/** The comment that marks one investigation's entry in a runbook, so applying twice changes nothing. */
export function learningMarker(investigationId: string): string {
  return `<!-- runbook-learning: ${investigationId} -->`;
}

export const LEARNINGS_HEADING = '## Incident learnings';

/**
 * A body made safe to sit under an entry's `###` heading: headings outside code fences become bold lines,
 * so no heading inside an entry can end the entry (or the learnings section) early; a fence left open is closed.
 */
export function containBody(body: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of body.trim().split('\n')) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (opener && opener[1]!.startsWith(fence[0]!) && opener[1]!.length >= fence.length) fence = undefined;
      out.push(line);
      continue;
    }
    if (opener) {
      fence = opener[1]!;
      out.push(line);
      continue;
    }
    const heading = /^\s{0,3}#{1,6}(?:\s+(.*?))?\s*#*\s*$/.exec(line);
    out.push(heading ? (heading[1] ? `**${heading[1].replace(/\*/g, '\\*')}**` : '') : line);
  }
  if (fence) out.push(fence);
  return out.join('\n');
}

/** One dated entry: heading, marker, body (contained: see {@link containBody}). */
export function learningEntry(inv: Investigation, title: string, body: string): string {
  const date = inv.startedAt === UNKNOWN ? 'undated' : inv.startedAt.slice(0, 10);
  return `### ${date} — ${inv.incidentId}: ${title.replace(/\s+/g, ' ').trim()}\n\n${learningMarker(inv.id)}\n\n${containBody(body)}\n`;
}

/**
 * Add an entry at the top of the runbook's "Incident learnings" section, newest first (creating the section at
 * the end when missing), so a new entry can never land inside an earlier one, whatever that one holds.
 * Returns the text unchanged when this investigation's marker is already there.
 */
export function insertLearning(text: string, inv: Investigation, entry: string): string {
  if (text.includes(learningMarker(inv.id))) return text;
  const lines = text.split('\n');
  const start = findSectionHeading(lines);
  if (start === -1) return `${text.trimEnd()}\n\n${LEARNINGS_HEADING}\n\n${entry}`;
  const before = lines.slice(0, start + 1).join('\n');
  const after = lines
    .slice(start + 1)
    .join('\n')
    .replace(/^\n+/, '');
  return after.trim() ? `${before}\n\n${entry}\n${after}` : `${before}\n\n${entry}`;
}

/** The line of the learnings heading, outside code fences; -1 when there is none. */
function findSectionHeading(lines: string[]): number {
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(lines[i]!);
    if (opener) {
      if (!fence) fence = opener[1]!;
      else if (opener[1]!.startsWith(fence[0]!) && opener[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (!fence && lines[i]!.trim().toLowerCase() === LEARNINGS_HEADING.toLowerCase()) return i;
  }
  return -1;
}
