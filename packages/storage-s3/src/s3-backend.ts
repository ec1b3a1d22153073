import {
  RunbookError,
  segmentToSessionId,
  serializeRecord,
  type AppendOutcome,
  type ListOptions,
  type ReadOptions,
  type SessionBackend,
  type SessionSummary,
  type StoredRecord,
} from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { createClient, type ClientSettings } from './client.js';
import { compactSession, type CompactOptions, type CompactResult } from './compact.js';
import { DEFAULT_PREFIX } from './config.js';
import { eventKey, sessionKeys, sessionsRoot, type SessionKeys } from './keys.js';
import { listKeys, listPrefixes } from './listing.js';
import { createObjectStore, type ObjectStore } from './object-store.js';
import { readSession } from './read-session.js';

export interface S3BackendOptions extends ClientSettings {
  bucket: string;
  /** Key prefix (default `runbook/hooks/claude`); leading and trailing `/` are ignored. */
  prefix?: string;
  /** Objects fetched at once while reading (default 16). */
  readConcurrency?: number;
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
  close(): Promise<void>;
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

  /** The real session id behind a listed session prefix; shortened ids are looked up in a stored record. */
  async function sessionIdOf(objects: ObjectStore, base: string, signal?: AbortSignal): Promise<string | undefined> {
    const segment = base.slice(sessionsRoot(prefix).length, -1);
    const decoded = segmentToSessionId(segment);
    if (decoded !== undefined) return decoded;
    for await (const page of listKeys(objects, base, signal)) {
      for (const key of page) {
        const text = key.endsWith('.json') ? await objects.getText(key, signal) : undefined;
        const parsed = text === undefined ? undefined : parseRecordLine(text.trim());
        if (parsed?.ok) return parsed.record.sessionId;
      }
      return undefined;
    }
    return undefined;
  }

  function keysOf(sessionId: string): SessionKeys {
    return sessionKeys(prefix, sessionId);
  }

  return {
    name: 's3',
    bucket: options.bucket,
    prefix,
    capabilities: { list: true, delete: true, listDetails: false },

    async append(record: StoredRecord, appendOptions: { signal?: AbortSignal } = {}): Promise<AppendOutcome> {
      const key = eventKey(keysOf(record.sessionId), record.eventId);
      const objects = await store();
      const outcome = await objects.create(key, serializeRecord(record), appendOptions.signal);
      return outcome === 'exists' ? 'duplicate' : 'stored';
    },

    async *read(sessionId: string, readOptions: ReadOptions = {}): AsyncGenerator<StoredRecord> {
      const objects = await store();
      yield* readSession(objects, keysOf(sessionId), sessionId, { ...readOptions, ...(options.readConcurrency ? { concurrency: options.readConcurrency } : {}) });
    },

    async *list(listOptions: ListOptions = {}): AsyncGenerator<SessionSummary> {
      const objects = await store();
      for await (const base of listPrefixes(objects, sessionsRoot(prefix), listOptions.signal)) {
        const sessionId = await sessionIdOf(objects, base, listOptions.signal);
        if (sessionId !== undefined) yield { sessionId };
      }
    },

    async delete(sessionId: string): Promise<void> {
      const objects = await store();
      for await (const page of listKeys(objects, keysOf(sessionId).base)) await objects.deleteKeys(page);
    },

    async compact(sessionId: string, compactOptions?: CompactOptions): Promise<CompactResult> {
      const objects = await store();
      return compactSession(objects, keysOf(sessionId), compactOptions);
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
