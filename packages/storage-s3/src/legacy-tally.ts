import { parseNdjsonRecords, type StoredRecord } from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import type { LegacyTally } from './key-tally.js';
import { observedTime } from './keys.js';
import type { ObjectStore } from './object-store.js';

/** Bytes fetched from each end of a RunbookAI-era file (and the size up to which it is read whole). */
export const LEGACY_PROBE_BYTES = 64 * 1024;

function timeOf(record: StoredRecord): number | undefined {
  return observedTime(record.observedAt);
}

/** The first of `lines` (tried in the order given) holding a valid record of the session. */
function firstRecordOf(lines: Iterable<string>, sessionId: string): StoredRecord | undefined {
  for (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = parseRecordLine(line);
    if (parsed.ok && parsed.record.sessionId === sessionId) return parsed.record;
  }
  return undefined;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function* backwards<T>(items: T[]): Generator<T> {
  for (let i = items.length - 1; i >= 0; i--) yield items[i]!;
}

/**
 * What a RunbookAI-era `events.ndjson` adds to a session's summary, with at most two ranged reads.
 * A file of up to {@link LEGACY_PROBE_BYTES} is read whole, so its records are known exactly. A larger
 * one has an unknown count; its first and last records (lines were appended as events happened) give
 * the times, found in the first and last {@link LEGACY_PROBE_BYTES}; when a line at either end is
 * longer than that, the times are left unknown too. Undefined when the file is gone.
 */
export async function legacyTally(
  store: ObjectStore,
  key: string,
  sessionId: string,
  signal?: AbortSignal,
): Promise<LegacyTally | undefined> {
  const head = await store.getRange(key, 0, LEGACY_PROBE_BYTES - 1, signal);
  if (!head) return undefined;
  if (head.size <= head.bytes.length) {
    const records: NonNullable<LegacyTally['records']> = [];
    for await (const record of parseNdjsonRecords(once(head.bytes), { sessionId, location: key })) {
      if (record.sessionId === sessionId) records.push({ eventId: record.eventId, time: timeOf(record) });
    }
    return { records };
  }

  // Complete lines only: the head's last piece and the tail's first piece may be cut off.
  const headLines = Buffer.from(head.bytes).toString('utf8').split('\n').slice(0, -1);
  const first = firstRecordOf(headLines, sessionId);
  const tail = first
    ? await store.getRange(key, Math.max(0, head.size - LEGACY_PROBE_BYTES), head.size - 1, signal)
    : undefined;
  // The very last piece counts even without its newline: readers keep a last line that parses.
  const tailLines = tail ? Buffer.from(tail.bytes).toString('utf8').split('\n').slice(1) : [];
  const last = firstRecordOf(backwards(tailLines), sessionId);
  const tally: LegacyTally = {};
  const firstTime = first && timeOf(first);
  const lastTime = last && timeOf(last);
  if (firstTime !== undefined && lastTime !== undefined) {
    tally.firstTime = firstTime;
    tally.lastTime = lastTime;
  }
  return tally;
}
