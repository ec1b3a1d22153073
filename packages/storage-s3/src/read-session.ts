import { parseNdjsonRecords, type ReadIssue, type ReadOptions, type StoredRecord } from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { eventNameOfKey, segmentOfKey, type SegmentRange, type SessionKeys } from './keys.js';
import { listKeys } from './listing.js';
import type { ObjectStore } from './object-store.js';
import { mapOrdered } from './ordered-map.js';
import { readSegmentRecords } from './segment-read.js';

export interface ReadSessionOptions extends ReadOptions {
  /** Event objects fetched at once (default 16). */
  concurrency?: number;
}

interface Fetched {
  key: string;
  name: string;
  text: string | undefined;
}

/**
 * Segments of one session as a reader knows them. Re-listed after every page of event keys and
 * whenever an event object has vanished: compaction writes a segment before it deletes the events
 * it holds, so a vanished event is always in a segment that a fresh listing finds.
 */
class SegmentIndex {
  private readonly known = new Map<string, SegmentRange & { read: boolean }>();

  constructor(
    private readonly store: ObjectStore,
    private readonly keys: SessionKeys,
    private readonly signal?: AbortSignal,
  ) {}

  async refresh(): Promise<void> {
    for await (const page of listKeys(this.store, this.keys.segments, this.signal)) {
      for (const key of page) {
        if (this.known.has(key)) continue;
        const range = segmentOfKey(this.keys, key);
        if (range) this.known.set(key, { ...range, read: false });
      }
    }
  }

  /** Unread segments starting at or before `name` (all unread ones without a name), in key order. */
  due(name?: string): (SegmentRange & { read: boolean })[] {
    return [...this.known.values()]
      .filter((s) => !s.read && (name === undefined || s.first <= name))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** Whether a segment already read covers this event name. */
  covers(name: string): boolean {
    for (const s of this.known.values()) if (s.read && s.first <= name && name <= s.last) return true;
    return false;
  }
}

/**
 * Stream one session in event order: the RunbookAI-era `events.ndjson` if present, then event objects
 * and compacted segments merged by event id. Every event is yielded once, whether a compaction runs
 * before, during or after the read. Bad objects are reported through `onIssue`, never thrown.
 */
export async function* readSession(
  store: ObjectStore,
  keys: SessionKeys,
  sessionId: string,
  options: ReadSessionOptions = {},
): AsyncGenerator<StoredRecord> {
  const { signal } = options;
  const report = options.onIssue ?? (() => {});
  const seen = new Set<string>();
  const segments = new SegmentIndex(store, keys, signal);

  const legacy = await store.get(keys.legacy, signal);
  if (legacy) {
    for await (const record of parseNdjsonRecords(legacy, {
      sessionId,
      location: keys.legacy,
      onIssue: report,
      seen,
    })) {
      if (record.sessionId === sessionId) yield record;
    }
  }

  async function* readSegments(due: (SegmentRange & { read: boolean })[]): AsyncGenerator<StoredRecord> {
    for (const segment of due) {
      segment.read = true;
      // A segment removed since it was listed (session deleted) yields nothing: its events were read or are gone.
      const own = new Set<string>();
      for await (const record of readSegmentRecords(store, segment, {
        sessionId,
        onIssue: report,
        seen: own,
        ...(signal ? { signal } : {}),
      })) {
        if (seen.has(record.eventId) || record.sessionId !== sessionId) continue;
        seen.add(record.eventId);
        yield record;
      }
    }
  }

  async function* eventKeys(): AsyncGenerator<{ key: string; name: string }> {
    for await (const page of listKeys(store, keys.events, signal)) {
      await segments.refresh();
      for (const key of page) {
        const name = eventNameOfKey(keys, key);
        if (name !== undefined) yield { key, name };
      }
    }
    await segments.refresh();
  }

  const fetches = mapOrdered(
    eventKeys(),
    options.concurrency ?? 16,
    async ({ key, name }): Promise<Fetched> => ({ key, name, text: await store.getText(key, signal) }),
  );
  for await (const { key, name, text } of fetches) {
    yield* readSegments(segments.due(name));
    if (text === undefined) {
      // Compacted (or deleted) since it was listed: its segment now exists; read it unless already read.
      if (seen.has(name)) continue;
      await segments.refresh();
      yield* readSegments(segments.due(name));
      continue;
    }
    const parsed = parseRecordLine(text.trim());
    if (!parsed.ok) {
      report({ kind: 'corrupt-line', sessionId, location: key, detail: parsed.reason });
      continue;
    }
    const record = parsed.record;
    if (record.sessionId !== sessionId) {
      report({ kind: 'corrupt-line', sessionId, location: key, detail: 'object belongs to another session' });
      continue;
    }
    if (seen.has(record.eventId)) {
      if (!segments.covers(name)) report(duplicateIssue(sessionId, key, record.eventId));
      continue;
    }
    seen.add(record.eventId);
    yield record;
  }
  yield* readSegments(segments.due());
}

function duplicateIssue(sessionId: string, location: string, eventId: string): ReadIssue {
  return { kind: 'duplicate', sessionId, location, detail: `event ${eventId} already read` };
}
