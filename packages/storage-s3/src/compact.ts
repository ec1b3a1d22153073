import { serializeRecord } from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { eventNameOfKey, segmentKey, type SessionKeys } from './keys.js';
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
  /** Event objects left alone because they do not hold a valid record. */
  skipped: number;
}

interface Batch {
  names: string[];
  keys: string[];
  lines: string[];
  bytes: number;
}

function emptyBatch(): Batch {
  return { names: [], keys: [], lines: [], bytes: 0 };
}

/**
 * Merge a session's event objects into ndjson segment objects and delete the merged objects.
 *
 * Each segment is written before any event it holds is deleted, and its key names the first and last
 * event it covers, so a reader running before, during or after compaction finds every event either
 * as an object or in a segment, and reads it once. Objects that do not hold a valid record stay
 * where they are for readers to report. A segment another compaction already wrote is left as it
 * is, and the events are kept (readers de-duplicate).
 */
export async function compactSession(store: ObjectStore, keys: SessionKeys, options: CompactOptions = {}): Promise<CompactResult> {
  const maxEvents = options.maxEvents ?? 1000;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const minEvents = Math.max(1, options.minEvents ?? 2);
  const { signal } = options;
  const result: CompactResult = { segments: 0, events: 0, skipped: 0 };

  async function flush(batch: Batch): Promise<void> {
    if (batch.names.length < minEvents) return;
    const key = segmentKey(keys, batch.names[0]!, batch.names.at(-1)!);
    const outcome = await store.create(key, batch.lines.join(''), signal);
    if (outcome === 'exists') return;
    result.segments += 1;
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
    if (!parsed.ok) {
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
    batch.keys.push(key);
    batch.lines.push(line);
    batch.bytes += size;
  }
  await flush(batch);
  return result;
}
