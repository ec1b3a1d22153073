import { afterAll, beforeAll, expect, test } from 'vitest';
import { collect, createRecord, serializeRecord, type SessionSummary, type StoredRecord } from '@runbook/storage-core';
import { createClient } from '../src/client.js';
import { compactSession } from '../src/compact.js';
import { sessionKeys, sessionsRoot } from '../src/keys.js';
import { listSessions } from '../src/list-sessions.js';
import { createObjectStore, type ObjectStore } from '../src/object-store.js';
import type { S3SessionBackend } from '../src/index.js';
import { BUCKET, rawClient, testBackend } from './helpers/backend.js';
import { startS3Server, TEST_CREDENTIALS, TEST_REGION, type S3TestServer } from './helpers/s3-server.js';

let server: S3TestServer;
let raw: Awaited<ReturnType<typeof rawClient>>;
let inner: ObjectStore;
beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
  raw = await rawClient(server);
  const { sdk, client } = await createClient({
    endpoint: server.endpoint,
    region: TEST_REGION,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });
  inner = createObjectStore(sdk, client, BUCKET);
});
afterAll(async () => {
  inner?.close();
  raw?.close();
  await server?.stop();
});

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;

function event(sessionId: string, seq: number, at: number, extra: Record<string, unknown> = {}): StoredRecord {
  return createRecord({ sessionId, eventName: 'PostToolUse', payload: { seq, ...extra }, observedAt: new Date(at) });
}

/** What a reader of the whole session finds: the figures a listing must match or leave out. */
async function truth(backend: S3SessionBackend, sessionId: string): Promise<SessionSummary> {
  const records = await collect(backend.read(sessionId));
  const times = records.map((r) => Date.parse(r.observedAt));
  return {
    sessionId,
    eventCount: records.length,
    firstSeen: new Date(Math.min(...times)).toISOString(),
    lastSeen: new Date(Math.max(...times)).toISOString(),
  };
}

/** The store the backend uses, counting what a listing asks of the bucket. */
function countingStore(): { store: ObjectStore; calls: { listPage: number; reads: string[] } } {
  const calls = { listPage: 0, reads: [] as string[] };
  const store: ObjectStore = {
    ...inner,
    async listPage(prefix, options) {
      calls.listPage += 1;
      return inner.listPage(prefix, options);
    },
    async get(key, signal) {
      calls.reads.push(key);
      return inner.get(key, signal);
    },
    async getText(key, signal) {
      calls.reads.push(key);
      return inner.getText(key, signal);
    },
    async getRange(key, start, end, signal) {
      calls.reads.push(key);
      return inner.getRange(key, start, end, signal);
    },
  };
  return { store, calls };
}

function legacyLine(sessionId: string, at: number, body = ''): string {
  return `${JSON.stringify({ observedAt: new Date(at).toISOString(), sessionId, eventName: 'PreToolUse', cwd: '/srv', transcriptPath: null, payload: { body } })}\n`;
}

test('counts and first/last seen come from the key listing alone, page by page, and match a full read', async () => {
  const backend = testBackend(server);
  const keys = (id: string) => sessionKeys(backend.prefix, id);
  const longId = `long-${'q'.repeat(300)}`;
  // Appended out of time order from one process: event ids no longer carry the events' times.
  const shuffled = [5, 1, 9, 3, 7].map((m, i) => event('shuffled', i, T0 + m * MINUTE));
  for (const r of shuffled) await backend.append(r);
  for (let i = 0; i < 7; i++) await backend.append(event('plain', i, T0 + 60 * MINUTE + i * MINUTE));
  for (let i = 0; i < 2; i++) await backend.append(event(longId, i, T0 + 120 * MINUTE + i * MINUTE));
  for (let i = 0; i < 9; i++) await backend.append(event('compacted', i, T0 + 180 * MINUTE + i * MINUTE));
  expect(await compactSession(inner, keys('compacted'), 'compacted', { maxEvents: 4 })).toMatchObject({
    segments: 2,
    events: 8,
  });
  await backend.append(event('compacted', 9, T0 + 200 * MINUTE));

  const { store, calls } = countingStore();
  const listed = await collect(listSessions(store, sessionsRoot(backend.prefix), { pageSize: 2, concurrency: 3 }));
  expect(listed.map((s) => s.sessionId).sort()).toEqual(['compacted', longId, 'plain', 'shuffled'].sort());
  for (const summary of listed) expect(summary).toEqual(await truth(backend, summary.sessionId));
  expect(listed.find((s) => s.sessionId === 'shuffled')).toMatchObject({
    firstSeen: new Date(T0 + MINUTE).toISOString(),
    lastSeen: new Date(T0 + 9 * MINUTE).toISOString(),
  });
  // Only the session whose id was too long for its key is read, for that id: one object.
  expect(calls.reads).toHaveLength(1);
  expect(calls.reads[0]!.startsWith(keys(longId).base)).toBe(true);
  // Two keys a page, every page followed: 2 pages of sessions, then 3 + 4 + 1 + 2 pages of their
  // 5, 7, 2 and 4 keys (the compacted session: 2 segments and 2 event objects).
  expect(calls.listPage).toBe(12);

  const viaBackend = await collect(backend.list());
  expect(new Set(viaBackend.map((s) => JSON.stringify(s)))).toEqual(new Set(listed.map((s) => JSON.stringify(s))));
  expect(backend.listDetails).toBe(true);
  expect(typeof backend.compact).toBe('function');
  await backend.close();
});

test('a RunbookAI-era events.ndjson: counted when small, first and last lines only when large', async () => {
  const backend = testBackend(server);
  const small = event('small-legacy', 99, T0 + 30 * MINUTE);
  await raw.put(
    `${backend.prefix}/sessions/small-legacy/events.ndjson`,
    `${legacyLine('small-legacy', T0)}${legacyLine('small-legacy', T0 + MINUTE)}${serializeRecord(small)}`,
  );
  await backend.append(small); // the same event again as an object: counted once
  await backend.append(event('small-legacy', 100, T0 + 31 * MINUTE));

  const big = (sessionId: string) =>
    Array.from({ length: 150 }, (_, i) => legacyLine(sessionId, T0 + i * 1000, 'f'.repeat(1000))).join('');
  await raw.put(`${backend.prefix}/sessions/large-legacy/events.ndjson`, big('large-legacy'));
  await backend.append(event('large-legacy', 1, T0 + 10 * MINUTE));

  // A last line longer than what is fetched from the end: its time cannot be read cheaply.
  await raw.put(
    `${backend.prefix}/sessions/huge-line/events.ndjson`,
    `${big('huge-line')}${legacyLine('huge-line', T0 + 99 * MINUTE, 'h'.repeat(70_000))}`,
  );

  const { store, calls } = countingStore();
  const listed = await collect(listSessions(store, sessionsRoot(backend.prefix)));
  const byId = new Map(listed.map((s) => [s.sessionId, s]));
  expect(byId.get('small-legacy')).toEqual(await truth(backend, 'small-legacy'));
  const large = await truth(backend, 'large-legacy');
  expect(large.eventCount).toBe(151);
  expect(byId.get('large-legacy')).toEqual({
    sessionId: 'large-legacy',
    firstSeen: large.firstSeen,
    lastSeen: large.lastSeen,
  });
  expect(byId.get('huge-line')).toEqual({ sessionId: 'huge-line' });
  // Ranged reads of the legacy files only: one for the small file, two for each large one.
  expect(calls.reads.every((key) => key.endsWith('/events.ndjson'))).toBe(true);
  expect(calls.reads).toHaveLength(5);
  await backend.close();
});

test('what the keys cannot vouch for is left out, never guessed', async () => {
  const backend = testBackend(server);
  const keys = (id: string) => sessionKeys(backend.prefix, id);

  // Mid-compaction: the segment is written, its events not yet deleted.
  for (let i = 0; i < 4; i++) await backend.append(event('mid-compaction', i, T0 + i * MINUTE));
  await compactSession({ ...inner, deleteKeys: async () => {} }, keys('mid-compaction'), 'mid-compaction');
  expect((await raw.keys(keys('mid-compaction').base)).length).toBe(5);

  // A segment from before counts and times were in the key.
  const old = [event('old-segment', 0, T0), event('old-segment', 1, T0 + MINUTE)];
  await raw.put(
    `${keys('old-segment').segments}${old[0]!.eventId}.${old[1]!.eventId}.ndjson`,
    old.map(serializeRecord).join(''),
  );
  await backend.append(event('old-segment', 2, T0 + 2 * MINUTE));

  // An event whose observedAt is not a time.
  await backend.append(
    createRecord({ sessionId: 'no-time', eventName: 'Stop', payload: {}, observedAt: new Date(T0) }),
  );
  await backend.append({
    ...createRecord({ sessionId: 'no-time', eventName: 'Stop', payload: {} }),
    observedAt: 'sometime',
  });

  const listed = new Map((await collect(backend.list())).map((s) => [s.sessionId, s]));
  const mid = await truth(backend, 'mid-compaction');
  expect(mid.eventCount).toBe(4);
  expect(listed.get('mid-compaction')).toEqual({
    sessionId: 'mid-compaction',
    firstSeen: mid.firstSeen,
    lastSeen: mid.lastSeen,
  });
  expect((await collect(backend.read('old-segment'))).map((r) => r.payload.seq)).toEqual([0, 1, 2]);
  expect(listed.get('old-segment')).toEqual({ sessionId: 'old-segment' });
  expect(listed.get('no-time')).toEqual({ sessionId: 'no-time', eventCount: 2 });

  // Compacting again finishes the job, even where the segment's key already exists: the figures come back.
  const conditional: ObjectStore = {
    ...inner,
    create: async (key, body, signal) =>
      (await inner.getText(key, signal)) !== undefined ? 'exists' : inner.create(key, body, signal),
  };
  expect(await compactSession(conditional, keys('mid-compaction'), 'mid-compaction')).toEqual({
    segments: 0,
    events: 4,
    skipped: 0,
  });
  expect((await collect(backend.list())).find((s) => s.sessionId === 'mid-compaction')).toEqual(mid);
  await backend.close();
});
