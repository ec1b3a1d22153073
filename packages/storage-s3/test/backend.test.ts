import { describe, expect, test } from 'vitest';
import {
  collect,
  createEventId,
  createRecord,
  serializeRecord,
  type ReadIssue,
  type StoredRecord,
} from '@runbook/storage-core';
import { createS3Backend } from '../src/index.js';
import { BUCKET, testBackend, useTestServer, type RawClient } from './helpers/backend.js';
import { TEST_CREDENTIALS, type S3TestServer } from './helpers/s3-server.js';

let server: S3TestServer;
let raw: RawClient;
useTestServer((s, r) => {
  server = s;
  raw = r;
});

function event(sessionId: string, seq: number, at?: Date): StoredRecord {
  return createRecord({
    sessionId,
    eventName: 'PostToolUse',
    cwd: '/srv',
    payload: { seq },
    ...(at ? { observedAt: at } : {}),
  });
}

describe('object layout', () => {
  test('writes one object per event under <prefix>/sessions/<id>/events/, in event order', async () => {
    const backend = testBackend(server, { prefix: '/team-a/claude/' });
    const records = [event('sess-1', 0), event('sess-1', 1), event('sess-1', 2)];
    for (const r of records) await backend.append(r);
    const keys = await raw.keys('team-a/claude/');
    expect(keys).toEqual(records.map((r) => `team-a/claude/sessions/sess-1/events/${r.eventId}.json`));
    expect(JSON.parse(await raw.text(keys[0]!))).toEqual(records[0]);
    await backend.close();
  });

  test('uses runbook/hooks/claude when no prefix is given', async () => {
    const backend = createS3Backend({
      bucket: BUCKET,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: TEST_CREDENTIALS,
    });
    const sessionId = `default-prefix-${Date.now()}`;
    const r = event(sessionId, 0);
    await backend.append(r);
    expect(await raw.keys(`runbook/hooks/claude/sessions/${sessionId}/`)).toEqual([
      `runbook/hooks/claude/sessions/${sessionId}/events/${r.eventId}.json`,
    ]);
    await backend.delete(sessionId);
    await backend.close();
  });

  test('backends under different prefixes of one bucket do not see each other', async () => {
    const a = testBackend(server, { prefix: 'shared/a' });
    const b = testBackend(server, { prefix: 'shared/ab' });
    await a.append(event('same-session', 1));
    expect(await collect(b.read('same-session'))).toEqual([]);
    expect((await collect(b.list())).map((s) => s.sessionId)).not.toContain('same-session');
    await a.delete('same-session');
    await Promise.all([a.close(), b.close()]);
  });

  test('a re-delivered event lands on the object it already has', async () => {
    const backend = testBackend(server);
    const r = event('redelivered', 0);
    await backend.append(r);
    await backend.append(structuredClone(r));
    expect(await raw.keys(`${backend.prefix}/`)).toHaveLength(1);
    await backend.close();
  });
});

describe('reading', () => {
  test(`pages through more than 1,000 events in order`, async () => {
    const backend = testBackend(server);
    const start = Date.parse('2026-05-01T00:00:00Z');
    const records = Array.from({ length: 2150 }, (_, i) => event('long', i, new Date(start + i)));
    for (let i = 0; i < records.length; i += 100)
      await Promise.all(records.slice(i, i + 100).map((r) => backend.append(r)));
    const read = await collect(backend.read('long'));
    expect(read.length).toBe(2150);
    expect(read.map((r) => r.payload.seq)).toEqual(records.map((r) => r.payload.seq));
    await backend.close();
  }, 60_000);

  test('reads a RunbookAI-era events.ndjson first, then event objects, each event once', async () => {
    const backend = testBackend(server);
    const legacyLine = (i: number) =>
      JSON.stringify({
        observedAt: `2026-01-01T00:00:0${i}.000Z`,
        sessionId: 'old',
        eventName: 'PreToolUse',
        cwd: '/srv',
        transcriptPath: null,
        payload: { legacy: i },
      });
    const current = event('old', 99);
    await raw.put(
      `${backend.prefix}/sessions/old/events.ndjson`,
      `${legacyLine(1)}\n${legacyLine(2)}\n${serializeRecord(current)}`,
    );
    await backend.append(current);
    await backend.append(event('old', 100));
    const issues: ReadIssue[] = [];
    const read = await collect(backend.read('old', { onIssue: (i) => issues.push(i) }));
    expect(read.map((r) => r.payload.legacy ?? r.payload.seq)).toEqual([1, 2, 99, 100]);
    expect(read.every((r) => r.eventId.length === 26)).toBe(true);
    await backend.close();
  });

  test('reports corrupt and foreign objects through onIssue and keeps reading', async () => {
    const backend = testBackend(server);
    const t0 = Date.parse('2026-02-01T00:00:00Z');
    const good = [event('mixed', 1, new Date(t0)), event('mixed', 2, new Date(t0 + 9000))];
    await backend.append(good[0]!);
    const base = `${backend.prefix}/sessions/mixed/events/`;
    await raw.put(`${base}${createEventId(t0 + 3000)}.json`, '{"not":"a record"');
    await raw.put(`${base}${createEventId(t0 + 6000)}.json`, serializeRecord(event('someone-else', 7)));
    await backend.append(good[1]!);
    const issues: ReadIssue[] = [];
    const read = await collect(backend.read('mixed', { onIssue: (i) => issues.push(i) }));
    expect(read.map((r) => r.eventId)).toEqual(good.map((r) => r.eventId));
    expect(issues.map((i) => i.kind).sort()).toEqual(['corrupt-line', 'corrupt-line']);
    expect(issues.every((i) => i.location.startsWith(base))).toBe(true);
    await backend.close();
  });

  test('stops early without error when the reader breaks off', async () => {
    const backend = testBackend(server);
    for (let i = 0; i < 40; i++) await backend.append(event('partial', i));
    const got: number[] = [];
    for await (const r of backend.read('partial')) {
      got.push(r.payload.seq as number);
      if (got.length === 3) break;
    }
    expect(got).toEqual([0, 1, 2]);
    await backend.close();
  });
});

describe('listing and deleting', () => {
  test('lists each session once by its real id, including ids too long to keep in a key', async () => {
    const backend = testBackend(server);
    const long = `very-long-${'q'.repeat(300)}`;
    const ids = ['alpha', 'with/slash and space', long];
    for (const id of ids) {
      await backend.append(event(id, 0));
      await backend.append(event(id, 1));
    }
    const listed = (await collect(backend.list())).map((s) => s.sessionId);
    expect(listed.sort()).toEqual([...ids].sort());
    await backend.close();
  });

  test('delete removes event objects, segments and the legacy file of that session only', async () => {
    const backend = testBackend(server);
    for (let i = 0; i < 5; i++) await backend.append(event('gone', i));
    await backend.compact('gone');
    await backend.append(event('gone', 5));
    await raw.put(`${backend.prefix}/sessions/gone/events.ndjson`, '');
    await backend.append(event('kept', 0));
    await backend.delete('gone');
    expect(await raw.keys(`${backend.prefix}/sessions/gone/`)).toEqual([]);
    expect(await collect(backend.read('kept'))).toHaveLength(1);
    await backend.close();
  });
});

describe('failures', () => {
  test('a missing bucket fails the append with a one-line STORAGE_WRITE_FAILED naming the object', async () => {
    const backend = testBackend(server, { bucket: 'no-such-bucket' });
    const error = await backend.append(event('x', 0)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_WRITE_FAILED' });
    expect((error as Error).message).toMatch(/^cannot write s3:\/\/no-such-bucket\/.*NoSuchBucket/);
    expect((error as Error).message).not.toContain('\n');
    await backend.close();
  });

  test('an append against a hung endpoint gives up when its signal fires', async () => {
    const { startSilentServer } = await import('./helpers/s3-server.js');
    const silent = await startSilentServer();
    const backend = testBackend(server, { endpoint: silent.endpoint, maxAttempts: 1 });
    const error = await backend.append(event('x', 0), { signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_WRITE_FAILED' });
    await backend.close();
    await silent.stop();
  });

  test('an append against a hung endpoint gives up after requestTimeoutMs', async () => {
    const { startSilentServer } = await import('./helpers/s3-server.js');
    const silent = await startSilentServer();
    const backend = testBackend(server, { endpoint: silent.endpoint, maxAttempts: 1, requestTimeoutMs: 300 });
    const error = await backend.append(event('x', 0)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_WRITE_FAILED' });
    await backend.close();
    await silent.stop();
  });
});
