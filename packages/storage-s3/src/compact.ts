import { serializeRecord } from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { eventKey, eventNameOfKey, observedTime, segmentKey, type SessionKeys } from './keys.js';
import { listKeys } from './listing.js';
import type { ObjectStore } from './object-store.js';
import { mapOrdered } from './ordered-map.js';

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
  return { names: [], eventIds: [], keys: [], lines: [], bytes: 0, from: undefined, to: undefined, timesKnown: true };
}

function noteTime(batch: Batch, time: number | undefined): void {
  if (time === undefined) {
    batch.timesKnown = false;
    return;
  }
  batch.from = batch.from === undefined ? time : Math.min(batch.from, time);
  batch.to = batch.to === undefined ? time : Math.max(batch.to, time);
}

/** Whether the segment stored at `key` holds every one of `eventIds`. */
async function segmentHolds(store: ObjectStore, key: string, eventIds: string[], signal?: AbortSignal): Promise<boolean> {
  const text = await store.getText(key, signal);
  if (text === undefined) return false;
  const held = new Set<string>();
  for (const line of text.split('\n')) {
    const parsed = line.trim() === '' ? undefined : parseRecordLine(line);
    if (parsed?.ok) held.add(parsed.record.eventId);
  }
  return eventIds.every((id) => held.has(id));
}

/**
 * Merge a session's event objects into ndjson segment objects and delete the merged objects.
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
export async function compactSession(store: ObjectStore, keys: SessionKeys, sessionId: string, options: CompactOptions = {}): Promise<CompactResult> {
  const maxEvents = options.maxEvents ?? 1000;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const minEvents = Math.max(1, options.minEvents ?? 2);
  const { signal } = options;
  const result: CompactResult = { segments: 0, events: 0, skipped: 0 };

  async function flush(batch: Batch): Promise<void> {
    if (batch.names.length < minEvents) return;
    // Key order is name order for ULIDs; escaped non-ULID names may differ, so take the real bounds.
    const sorted = [...batch.names].sort();
    const key = segmentKey(keys, {
      first: sorted[0]!,
      last: sorted.at(-1)!,
      count: batch.names.length,
      from: batch.timesKnown ? batch.from : undefined,
      to: batch.timesKnown ? batch.to : undefined,
    });
    const outcome = await store.create(key, batch.lines.join(''), signal);
    if (outcome === 'exists' && !(await segmentHolds(store, key, batch.eventIds, signal))) return;
    if (outcome === 'created') result.segments += 1;
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
  const fetched = mapOrdered(eventKeys(), options.concurrency ?? 16, async (item) => ({ ...item, text: await store.getText(item.key, signal) }));
  for await (const { key, name, text } of fetched) {
    if (text === undefined) continue; // merged by a concurrent compaction
    const parsed = parseRecordLine(text.trim());
    if (!parsed.ok || parsed.record.sessionId !== sessionId || eventKey(keys, parsed.record) !== key) {
      result.skipped += 1;
      continue;
    }
    const line = serializeRecord(parsed.record);
    const size = Buffer.byteLength(line);
    if (batch.names.length > 0 && (batch.names.length >= maxEvents || batch.bytes + size > maxBytes)) {
      await flush(batch);
      batch = emptyBatch();
    }
    batch.names.push(name);
    batch.eventIds.push(parsed.record.eventId);
    batch.keys.push(key);
    batch.lines.push(line);
    batch.bytes += size;
    noteTime(batch, observedTime(parsed.record.observedAt));
  }
  await flush(batch);
  return result;
}
