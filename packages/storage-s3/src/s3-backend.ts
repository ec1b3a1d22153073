import {
  RunbookError,
  serializeRecord,
  type AppendOutcome,
  type BackendDescription,
  type ListOptions,
  type ProbeOptions,
  type ProbeResult,
  type ReadOptions,
  type SessionBackend,
  type SessionSummary,
  type StoredRecord,
  type TranscriptChunk,
  type TranscriptReadOptions,
} from '@runbook/storage-core';
import { createClient, type ClientSettings } from './client.js';
import { compactSession, type CompactOptions, type CompactResult } from './compact.js';
import { DEFAULT_PREFIX } from './config.js';
import { eventKey, segmentOfKey, sessionKeys, sessionsRoot, type SessionKeys } from './keys.js';
import { listSessions } from './list-sessions.js';
import { listKeys } from './listing.js';
import { createObjectStore, type ObjectStore } from './object-store.js';
import { describeS3, probeS3 } from './probe.js';
import { readSession } from './read-session.js';
import { putTranscriptChunk, readTranscriptObjects } from './transcript.js';

export interface S3BackendOptions extends ClientSettings {
  bucket: string;
  /** Key prefix (default `runbook/hooks/claude`); leading and trailing `/` are ignored. */
  prefix?: string;
  /** Objects fetched at once while reading (default 16). */
  readConcurrency?: number;
  /** Sessions listed at once by `list()` (default 16). */
  listConcurrency?: number;
  /** Keys asked for per listing request (default and S3's maximum: 1,000). */
  listPageSize?: number;
}

/** The S3 backend: the storage contract plus compaction. */
export interface S3SessionBackend extends SessionBackend {
  readonly bucket: string;
  readonly prefix: string;
  /** Merge a session's event objects into segment objects; safe while others read and append. */
  compact(sessionId: string, options?: CompactOptions): Promise<CompactResult>;
  append(record: StoredRecord, options?: { signal?: AbortSignal }): Promise<AppendOutcome>;
  delete(sessionId: string): Promise<void>;
  list(options?: ListOptions): AsyncIterable<SessionSummary>;
  appendTranscript(chunk: TranscriptChunk, options?: { signal?: AbortSignal }): Promise<AppendOutcome>;
  readTranscript(sessionId: string, options?: TranscriptReadOptions): AsyncIterable<TranscriptChunk>;
  describe(): BackendDescription;
  probe(options?: ProbeOptions): Promise<ProbeResult>;
  close(): Promise<void>;
}

/** Whether an event object's text is this record (same event id and session). */
function holdsEvent(text: string, record: StoredRecord): boolean {
  try {
    const stored = JSON.parse(text) as { eventId?: unknown; sessionId?: unknown };
    return stored.eventId === record.eventId && stored.sessionId === record.sessionId;
  } catch {
    return false;
  }
}

/**
 * A backend storing one object per event under `<prefix>/sessions/<session>/events/<eventId>.json`.
 * Keys are unique to their event, so concurrent writers never meet on one key and a re-delivered event
 * lands on the object it already has. The SDK is loaded on first use.
 */
export function createS3Backend(options: S3BackendOptions): S3SessionBackend {
  if (!options.bucket) throw new RunbookError('CONFIG_INVALID', 's3: bucket is required');
  const prefix = (options.prefix ?? DEFAULT_PREFIX).replace(/^\/+|\/+$/g, '');
  let storePromise: Promise<ObjectStore> | undefined;
  let closed = false;

  function store(): Promise<ObjectStore> {
    if (closed) return Promise.reject(new RunbookError('BACKEND_UNAVAILABLE', 's3 backend is closed'));
    storePromise ??= createClient(options).then(({ sdk, client }) => createObjectStore(sdk, client, options.bucket));
    return storePromise;
  }

  function keysOf(sessionId: string): SessionKeys {
    return sessionKeys(prefix, sessionId);
  }

  return {
    name: 's3',
    bucket: options.bucket,
    prefix,
    listDetails: true,

    async append(record: StoredRecord, appendOptions: { signal?: AbortSignal } = {}): Promise<AppendOutcome> {
      const key = eventKey(keysOf(record.sessionId), record);
      const objects = await store();
      const body = serializeRecord(record);
      const outcome = await objects.create(key, body, appendOptions.signal);
      if (outcome === 'created') return 'stored';
      // 412: the server says the key is taken. Believe it only once the object reads back as this event;
      // otherwise (nothing there, or something else) write it unconditionally.
      const existing = await objects.getText(key, appendOptions.signal);
      if (existing !== undefined && holdsEvent(existing, record)) return 'duplicate';
      await objects.put(key, body, appendOptions.signal);
      return 'stored';
    },

    async *read(sessionId: string, readOptions: ReadOptions = {}): AsyncGenerator<StoredRecord> {
      const objects = await store();
      yield* readSession(objects, keysOf(sessionId), sessionId, {
        ...readOptions,
        ...(options.readConcurrency ? { concurrency: options.readConcurrency } : {}),
      });
    },

    async *list(listOptions: ListOptions = {}): AsyncGenerator<SessionSummary> {
      const objects = await store();
      yield* listSessions(objects, sessionsRoot(prefix), {
        ...(options.listConcurrency ? { concurrency: options.listConcurrency } : {}),
        ...(options.listPageSize ? { pageSize: options.listPageSize } : {}),
        ...(listOptions.signal ? { signal: listOptions.signal } : {}),
      });
    },

    async delete(sessionId: string): Promise<void> {
      const objects = await store();
      const keys = keysOf(sessionId);
      for await (const page of listKeys(objects, keys.base)) {
        // A segment's rows under segments/dt=.../ go before the marker that names them.
        const rows = page
          .map((key) => segmentOfKey(keys, key))
          .filter((s) => s?.data.format === 'rows-gz')
          .map((s) => s!.data.key);
        if (rows.length > 0) await objects.deleteKeys(rows);
        await objects.deleteKeys(page);
      }
    },

    async appendTranscript(
      chunk: TranscriptChunk,
      appendOptions: { signal?: AbortSignal } = {},
    ): Promise<AppendOutcome> {
      const keys = keysOf(chunk.sessionId);
      const objects = await store();
      return putTranscriptChunk(objects, keys, chunk, appendOptions.signal);
    },

    async *readTranscript(sessionId: string, readOptions: TranscriptReadOptions = {}): AsyncGenerator<TranscriptChunk> {
      const objects = await store();
      yield* readTranscriptObjects(objects, keysOf(sessionId), sessionId, readOptions);
    },

    async compact(sessionId: string, compactOptions?: CompactOptions): Promise<CompactResult> {
      const objects = await store();
      return compactSession(objects, keysOf(sessionId), sessionId, compactOptions);
    },

    describe(): BackendDescription {
      return describeS3(options.bucket, prefix, options);
    },

    async probe(probeOptions: ProbeOptions = {}): Promise<ProbeResult> {
      return probeS3(await store(), options.bucket, prefix, probeOptions.signal);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const pending = storePromise;
      storePromise = undefined;
      if (pending) (await pending.catch(() => undefined))?.close();
    },
  };
}
