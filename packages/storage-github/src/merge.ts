import { serializeRecord, type AppendOutcome, type StoredRecord } from '@runbook/storage-core';

/** How `serializeRecord` starts every line, so the id is found without parsing the whole (maybe 1 MB) line. */
const EVENT_ID = /^\{"schemaVersion":\d+,"eventId":"([^"\\]*)"/;

/** The event id of one stored line, or undefined for a line that holds none (kept as it is). */
function eventIdOf(line: string): string | undefined {
  const quick = EVENT_ID.exec(line)?.[1];
  if (quick !== undefined) return quick;
  try {
    const value = JSON.parse(line) as { eventId?: unknown };
    return typeof value.eventId === 'string' ? value.eventId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Session files only grow: the merge of what the branch holds and what is waiting to be written is every
 * line already there, in its order, then each waiting record whose event id is not there yet. Nothing is
 * ever dropped, so another machine's lines survive however the pushes interleave. `storedElsewhere`: ids the
 * session already holds in another file (a session whose events were filed under two months).
 */
export function mergeLines(
  existing: Buffer | undefined,
  records: StoredRecord[],
  storedElsewhere: ReadonlySet<string> = new Set(),
): { content: Buffer; outcomes: AppendOutcome[]; added: number } {
  const seen = new Set<string>(storedElsewhere);
  let text = existing ? existing.toString('utf8') : '';
  if (text !== '') {
    for (const line of text.split('\n')) {
      const id = line.trim() === '' ? undefined : eventIdOf(line);
      if (id !== undefined) seen.add(id);
    }
    if (!text.endsWith('\n')) text += '\n';
  }
  const outcomes: AppendOutcome[] = [];
  let added = 0;
  for (const record of records) {
    if (seen.has(record.eventId)) {
      outcomes.push('duplicate');
      continue;
    }
    seen.add(record.eventId);
    text += serializeRecord(record);
    outcomes.push('stored');
    added += 1;
  }
  return { content: Buffer.from(text, 'utf8'), outcomes, added };
}

/** Every event id in a session file's content. */
export function eventIdsIn(content: Buffer): Set<string> {
  const ids = new Set<string>();
  for (const line of content.toString('utf8').split('\n')) {
    const id = line.trim() === '' ? undefined : eventIdOf(line);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}
