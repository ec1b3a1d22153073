import { expect, test } from 'vitest';
import { collect, createRecord, type ReadIssue, type StoredRecord } from '@runbook/storage-core';
import { compact, type S3SessionBackend } from '../src/index.js';
import { BUCKET, testBackend, useTestServer, type RawClient } from './helpers/backend.js';
import type { S3TestServer } from './helpers/s3-server.js';

let server: S3TestServer;
let raw: RawClient;
useTestServer((s, r) => {
  server = s;
  raw = r;
});

const T0 = Date.parse('2026-04-01T09:00:00Z');

async function seed(
  backend: S3SessionBackend,
  sessionId: string,
  from: number,
  count: number,
): Promise<StoredRecord[]> {
  const records = Array.from({ length: count }, (_, i) =>
    createRecord({
      sessionId,
      eventName: 'PostToolUse',
      payload: { seq: from + i },
      observedAt: new Date(T0 + from + i),
    }),
  );
  for (let i = 0; i < records.length; i += 100)
    await Promise.all(records.slice(i, i + 100).map((r) => backend.append(r)));
  return records;
}

function seqs(records: StoredRecord[]): number[] {
  return records.map((r) => r.payload.seq as number);
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

test('merges event objects into segments, deletes them, and reads the same events back', async () => {
  const backend = testBackend(server);
  await seed(backend, 's', 0, 250);
  const result = await compact(backend, 's', { maxEvents: 100 });
  expect(result).toEqual({ segments: 3, events: 250, skipped: 0 });
  const keys = await raw.keys(`${backend.prefix}/sessions/s/`);
  expect(keys.filter((k) => k.includes('/events/'))).toEqual([]);
  expect(keys.filter((k) => k.includes('/segments/'))).toHaveLength(3);
  await seed(backend, 's', 250, 5);
  const issues: ReadIssue[] = [];
  expect(seqs(await collect(backend.read('s', { onIssue: (i) => issues.push(i) })))).toEqual(range(0, 255));
  expect(issues).toEqual([]);
  await backend.close();
});

test('a reader paused mid-session while compaction runs still sees every event exactly once, in order', async () => {
  const backend = testBackend(server);
  await seed(backend, 's', 0, 1300);
  const reader = backend.read('s')[Symbol.asyncIterator]();
  const got: number[] = [];
  for (let i = 0; i < 10; i++) got.push((await reader.next()).value.payload.seq as number);
  // Everything the reader has listed or prefetched is now merged and deleted under it.
  const result = await backend.compact('s', { maxEvents: 400 });
  expect(result.events).toBe(1300);
  await seed(backend, 's', 1300, 20);
  for (let next = await reader.next(); !next.done; next = await reader.next())
    got.push(next.value.payload.seq as number);
  expect(got).toEqual(range(0, 1320));
  await backend.close();
}, 60_000);

test('readers running alongside compaction, started before, during and after it, each see every event once', async () => {
  const backend = testBackend(server, { readConcurrency: 4 });
  await seed(backend, 's', 0, 600);
  const readAll = async () => seqs(await collect(backend.read('s')));
  const early = readAll();
  const compaction = backend.compact('s', { maxEvents: 50, concurrency: 2 });
  const during = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return readAll();
  })();
  await compaction;
  const after = readAll();
  for (const seen of await Promise.all([early, during, after])) expect(seen).toEqual(range(0, 600));
  await backend.close();
}, 60_000);

test('two compactions at once lose nothing and a later read is still exact', async () => {
  const backend = testBackend(server);
  await seed(backend, 's', 0, 300);
  await Promise.all([backend.compact('s', { maxEvents: 64 }), backend.compact('s', { maxEvents: 64 })]);
  expect(seqs(await collect(backend.read('s')))).toEqual(range(0, 300));
  await backend.close();
});

test('leaves objects that hold no valid record for readers to report', async () => {
  const backend = testBackend(server);
  await seed(backend, 's', 0, 3);
  const bad = `${backend.prefix}/sessions/s/events/01ZZZZZZZZZZZZZZZZZZZZZZZZ.json`;
  await raw.put(bad, 'garbage');
  expect(await backend.compact('s')).toEqual({ segments: 1, events: 3, skipped: 1 });
  const issues: ReadIssue[] = [];
  expect(seqs(await collect(backend.read('s', { onIssue: (i) => issues.push(i) })))).toEqual([0, 1, 2]);
  expect(issues.map((i) => i.location)).toEqual([bad]);
  await backend.close();
});

test('an event object that vanishes between listing and fetching is found in the segment that replaced it', async () => {
  // Deterministic worst case: the reader's last look at the segments happens before compaction, and
  // every fetch of an event object happens after compaction deleted it.
  const { createClient } = await import('../src/client.js');
  const { createObjectStore } = await import('../src/object-store.js');
  const { readSession } = await import('../src/read-session.js');
  const { compactSession } = await import('../src/compact.js');
  const { sessionKeys } = await import('../src/keys.js');
  const backend = testBackend(server);
  await seed(backend, 's', 0, 40);
  const { sdk, client } = await createClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const inner = createObjectStore(sdk, client, BUCKET);
  const keys = sessionKeys(backend.prefix, 's');
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let segmentListings = 0;
  const store: typeof inner = {
    ...inner,
    async getText(key, signal) {
      if (key.startsWith(keys.events)) await gate;
      return inner.getText(key, signal);
    },
    async listPage(prefix, options) {
      const page = await inner.listPage(prefix, options);
      if (prefix === keys.segments && ++segmentListings === 2) {
        expect(page.keys).toEqual([]);
        await compactSession(inner, keys, 's');
        release();
      }
      return page;
    },
  };
  const got = seqs(await collect(readSession(store, keys, 's', { concurrency: 64 })));
  expect(segmentListings).toBeGreaterThan(2);
  expect(got).toEqual(range(0, 40));
  inner.close();
  await backend.close();
});
