import { encodeSegment, serializeRecord, type StoredRecord } from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import {
  dayOf,
  eventKey,
  eventNameOfKey,
  observedTime,
  partitionedSegmentKeys,
  segmentKey,
  segmentOfKey,
  type SegmentRange,
  type SessionKeys,
} from './keys.js';
import { listKeys } from './listing.js';
import type { ObjectStore } from './object-store.js';
import { mapOrdered } from './ordered-map.js';
import { readSegmentRecords } from './segment-read.js';

export interface CompactOptions {
  /** Most events in one segment object (default 1,000). */
  maxEvents?: number;
  /** Most bytes in one segment object (default 8 MiB). */
  maxBytes?: number;
  /** Do nothing for a run shorter than this many event objects (default 2). */
  minEvents?: number;
  /** Event objects fetched at once (default 16). */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface CompactResult {
  /** Segment objects written. */
  segments: number;
  /** Event objects merged into them and deleted. */
  events: number;
  /** Event objects left alone because they do not hold a valid record of the session under their own key. */
  skipped: number;
}

interface Batch {
  /** UTC day of every event in the batch, or `x` for a batch of events whose time is unknown. */
  day: string | undefined;
  records: StoredRecord[];
  names: string[];
  eventIds: string[];
  keys: string[];
  lines: string[];
  bytes: number;
  /** Earliest and latest `observedAt` (ms); undefined once any record's time is unknown. */
  from: number | undefined;
  to: number | undefined;
  timesKnown: boolean;
}

function emptyBatch(): Batch {
  return {
    day: undefined,
    records: [],
    names: [],
    eventIds: [],
    keys: [],
    lines: [],
    bytes: 0,
    from: undefined,
    to: undefined,
    timesKnown: true,
  };
}

function noteTime(batch: Batch, time: number | undefined): void {
  if (time === undefined) {
    batch.timesKnown = false;
    return;
  }
  batch.from = batch.from === undefined ? time : Math.min(batch.from, time);
  batch.to = batch.to === undefined ? time : Math.max(batch.to, time);
}

/** Whether the segment (in either form) holds every one of `eventIds`. */
async function segmentHolds(
  store: ObjectStore,
  segment: SegmentRange,
  sessionId: string,
  eventIds: string[],
  signal?: AbortSignal,
): Promise<boolean> {
  const held = new Set<string>();
  for await (const record of readSegmentRecords(store, segment, { sessionId, ...(signal ? { signal } : {}) }))
    held.add(record.eventId);
  return eventIds.every((id) => held.has(id));
}

/**
 * Merge a session's event objects into segments and delete the merged objects.
 *
 * Events of one UTC day become gzipped segment rows under `<prefix>/segments/dt=<day>/` (the published
 * column schema query engines read) plus an empty `.ref` marker inside the session that names them;
 * events whose time is unknown become an NDJSON segment inside the session, as before.
 *
 * Each segment is written before any event it holds is deleted, and its key names the first and last
 * event it covers (so a reader running before, during or after compaction finds every event either
 * as an object or in a segment, and reads it once), how many events it holds and their earliest and
 * latest time (so a listing can summarize the session without reading it). Only objects holding a
 * valid record of this session under the very key `append` gives that record are merged; others stay
 * where they are for readers to report. When the segment's key already exists (another compaction
 * wrote it, or an earlier one stopped before deleting), the events are deleted only if that segment
 * holds every one of them; otherwise they are kept (readers de-duplicate).
 */
export async function compactSession(
  store: ObjectStore,
  keys: SessionKeys,
  sessionId: string,
  options: CompactOptions = {},
): Promise<CompactResult> {
  const maxEvents = options.maxEvents ?? 1000;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const minEvents = Math.max(1, options.minEvents ?? 2);
  const { signal } = options;
  const result: CompactResult = { segments: 0, events: 0, skipped: 0 };

  async function flush(batch: Batch): Promise<void> {
    if (batch.names.length < minEvents) return;
    // Key order is name order for ULIDs; escaped non-ULID names may differ, so take the real bounds.
    const sorted = [...batch.names].sort();
    const bounds = { first: sorted[0]!, last: sorted.at(-1)!, count: batch.names.length };
    let segment: SegmentRange;
    if (batch.timesKnown && batch.from !== undefined && batch.to !== undefined) {
      // Rows for query engines under segments/dt=<day>/, then the marker readers and listings find.
      const { marker, data } = partitionedSegmentKeys(keys, { ...bounds, from: batch.from, to: batch.to });
      segment = segmentOfKey(keys, marker)!;
      const written = await store.create(data, encodeSegment(batch.records), signal);
      if (written === 'exists' && !(await segmentHolds(store, segment, sessionId, batch.eventIds, signal))) return;
      const marked = await store.create(marker, `${JSON.stringify({ rows: data })}\n`, signal);
      if (written === 'created' || marked === 'created') result.segments += 1;
    } else {
      const key = segmentKey(keys, { ...bounds, from: undefined, to: undefined });
      segment = segmentOfKey(keys, key)!;
      const outcome = await store.create(key, batch.lines.join(''), signal);
      if (outcome === 'exists' && !(await segmentHolds(store, segment, sessionId, batch.eventIds, signal))) return;
      if (outcome === 'created') result.segments += 1;
    }
    await store.deleteKeys(batch.keys, signal);
    result.events += batch.keys.length;
  }

  async function* eventKeys(): AsyncGenerator<{ key: string; name: string }> {
    for await (const page of listKeys(store, keys.events, signal)) {
      for (const key of page) {
        const name = eventNameOfKey(keys, key);
        if (name !== undefined) yield { key, name };
      }
    }
  }

  let batch = emptyBatch();
  const fetched = mapOrdered(eventKeys(), options.concurrency ?? 16, async (item) => ({
    ...item,
    text: await store.getText(item.key, signal),
  }));
  for await (const { key, name, text } of fetched) {
    if (text === undefined) continue; // merged by a concurrent compaction
    const parsed = parseRecordLine(text.trim());
    if (!parsed.ok || parsed.record.sessionId !== sessionId || eventKey(keys, parsed.record) !== key) {
      result.skipped += 1;
      continue;
    }
    const line = serializeRecord(parsed.record);
    const size = Buffer.byteLength(line);
    const time = observedTime(parsed.record.observedAt);
    const day = time === undefined ? 'x' : dayOf(time);
    if (
      batch.names.length > 0 &&
      (batch.day !== day || batch.names.length >= maxEvents || batch.bytes + size > maxBytes)
    ) {
      await flush(batch);
      batch = emptyBatch();
    }
    batch.day = day;
    batch.records.push(parsed.record);
    batch.names.push(name);
    batch.eventIds.push(parsed.record.eventId);
    batch.keys.push(key);
    batch.lines.push(line);
    batch.bytes += size;
    noteTime(batch, time);
  }
  await flush(batch);
  return result;
}
