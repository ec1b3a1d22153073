import { segmentToSessionId, sessionIdToSegment, type SessionSummary } from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { SessionKeyTally } from './key-tally.js';
import { keysOfBase, segmentOfKey, type SegmentRange, type SessionKeys } from './keys.js';
import { legacyTally } from './legacy-tally.js';
import { listKeys, listPrefixes } from './listing.js';
import type { ObjectStore } from './object-store.js';
import { mapOrdered } from './ordered-map.js';
import { readSegmentRecords } from './segment-read.js';

export interface ListSessionsOptions {
  /** Sessions listed at once (default 16). */
  concurrency?: number;
  /** Keys asked for per listing request (default and S3's maximum: 1,000). */
  pageSize?: number;
  signal?: AbortSignal;
}

/** The first line of an object (the whole of an event object), as a record; undefined when it is none. */
async function firstRecord(store: ObjectStore, key: string, signal?: AbortSignal) {
  const body = await store.get(key, signal);
  if (!body) return undefined;
  const pieces: Buffer[] = [];
  for await (const chunk of body) {
    const buf = Buffer.from(chunk);
    const nl = buf.indexOf(10);
    if (nl !== -1) {
      pieces.push(buf.subarray(0, nl));
      break; // leaving the loop ends the download
    }
    pieces.push(buf);
  }
  const parsed = parseRecordLine(Buffer.concat(pieces).toString('utf8').trim());
  return parsed.ok ? parsed.record : undefined;
}

/** The first record of a gzipped segment (the whole object is read: it is compressed). */
async function firstSegmentRecord(store: ObjectStore, segment: SegmentRange, signal?: AbortSignal) {
  for await (const record of readSegmentRecords(store, segment, { sessionId: '', ...(signal ? { signal } : {}) }))
    return record;
  return undefined;
}

/**
 * The real id of a session whose key segment was shortened with a hash: read from one of its records,
 * which must map back to that segment.
 */
async function storedSessionId(
  store: ObjectStore,
  keys: SessionKeys,
  segment: string,
  tally: SessionKeyTally,
  signal?: AbortSignal,
): Promise<string | undefined> {
  for (const key of [...tally.samples, ...(tally.hasLegacy ? [keys.legacy] : [])]) {
    const compacted = segmentOfKey(keys, key);
    const record =
      compacted?.data.format === 'rows-gz'
        ? await firstSegmentRecord(store, compacted, signal)
        : await firstRecord(store, key, signal);
    if (record && sessionIdToSegment(record.sessionId) === segment) return record.sessionId;
  }
  return undefined;
}

/** One session's summary from its key listing, plus at most two ranged reads of a RunbookAI-era file. */
async function summarize(
  store: ObjectStore,
  root: string,
  base: string,
  options: ListSessionsOptions,
): Promise<SessionSummary | undefined> {
  const { signal } = options;
  const keys = keysOfBase(base);
  const tally = new SessionKeyTally(keys);
  for await (const page of listKeys(store, base, signal, options.pageSize)) for (const key of page) tally.add(key);
  const segment = base.slice(root.length, -1);
  const sessionId = segmentToSessionId(segment) ?? (await storedSessionId(store, keys, segment, tally, signal));
  if (sessionId === undefined) return undefined;
  const legacy = tally.hasLegacy ? await legacyTally(store, keys.legacy, sessionId, signal) : undefined;
  return { sessionId, ...tally.details(legacy) };
}

/**
 * Every session under `root` (`<prefix>/sessions/`) with its event count and first/last seen, read
 * from key listings alone (see {@link SessionKeyTally}).
 *
 * Each session is listed on its own, `concurrency` at once, rather than the whole prefix in one
 * listing: a whole-prefix listing is a single chain of pages, each waiting for the previous one,
 * through every event key of every session (5,000 sessions of 300 uncompacted events would be 1,500
 * round trips in a row). Per session it costs one request for any session under 1,000 keys, wall
 * time grows with sessions / concurrency instead of total events, memory holds at most
 * `concurrency` sessions' keys, and the per-session follow-ups (a shortened id's record, a
 * RunbookAI-era file's ends) run in the same step. Sessions come out in key order.
 */
export async function* listSessions(
  store: ObjectStore,
  root: string,
  options: ListSessionsOptions = {},
): AsyncGenerator<SessionSummary> {
  const bases = listPrefixes(store, root, options.signal, options.pageSize);
  for await (const summary of mapOrdered(bases, options.concurrency ?? 16, (base) =>
    summarize(store, root, base, options),
  )) {
    if (summary) yield summary;
  }
}
