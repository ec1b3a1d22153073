import { expect, test } from 'vitest';
import { collect, createRecord, decodeSegment, SEGMENT_COLUMNS, type StoredRecord } from '@runbook/storage-core';
import { compact, type S3SessionBackend } from '../src/index.js';
import { testBackend, useTestServer, type RawClient } from './helpers/backend.js';
import type { S3TestServer } from './helpers/s3-server.js';

let server: S3TestServer;
let raw: RawClient;
useTestServer((s, r) => {
  server = s;
  raw = r;
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-30T22:00:00Z');

function failure(sessionId: string, at: number, seq: number): StoredRecord {
  return createRecord({
    sessionId,
    eventName: seq % 2 === 0 ? 'PostToolUseFailure' : 'PostToolUse',
    cwd: '/srv/billing',
    payload: {
      seq,
      tool_name: 'Bash',
      tool_use_id: `toolu_${seq}`,
      tool_input: { command: 'kubectl rollout status deploy/api' },
      error: 'Exit code 1\nerror: deployment "api" exceeded its progress deadline',
    },
    observedAt: new Date(at),
    redactions: seq === 1 ? { 'aws-key': 2 } : {},
  });
}

async function seed(backend: S3SessionBackend, sessionId: string, times: number[]): Promise<StoredRecord[]> {
  const records = times.map((at, seq) => failure(sessionId, at, seq));
  await Promise.all(records.map((r) => backend.append(r)));
  return records;
}

test('compaction writes gzipped rows under segments/dt=<day>/, one partition per UTC day, and reads them back once', async () => {
  const backend = testBackend(server);
  // Four events on 2026-03-30 and three on 2026-03-31 (UTC).
  const records = await seed(
    backend,
    'two-days',
    [0, 1, 2, 3, 3 * 3600_000, 3 * 3600_000 + 1, 3 * 3600_000 + 2].map((d) => T0 + d),
  );
  expect(await compact(backend, 'two-days')).toEqual({ segments: 2, events: 7, skipped: 0 });

  const rowKeys = (await raw.keys(`${backend.prefix}/segments/`)).sort();
  expect(rowKeys).toHaveLength(2);
  expect(rowKeys[0]).toMatch(/\/segments\/dt=2026-03-30\/two-days\.[0-9A-Z]+\.[0-9A-Z]+\.4\.\d+\.\d+\.ndjson\.gz$/);
  expect(rowKeys[1]).toMatch(/\/segments\/dt=2026-03-31\/two-days\..+\.3\.\d+\.\d+\.ndjson\.gz$/);
  const markers = await raw.keys(`${backend.prefix}/sessions/two-days/`);
  expect(markers.every((k) => k.endsWith('.ref'))).toBe(true);

  const decoded = decodeSegment(await raw.bytes(rowKeys[0]!));
  expect(decoded.problems).toEqual([]);
  expect(decoded.records).toEqual(records.slice(0, 4));
  expect(await collect(backend.read('two-days'))).toEqual(records);
  const [summary] = await collect(backend.list());
  expect(summary).toMatchObject({ sessionId: 'two-days', eventCount: 7 });
  await backend.close();
});

test('each row carries exactly the published columns, with outcome, error text and redaction counts filled in', async () => {
  const backend = testBackend(server);
  await seed(backend, 'cols', [T0 + DAY, T0 + DAY + 1]);
  await compact(backend, 'cols');
  const [key] = await raw.keys(`${backend.prefix}/segments/`);
  const { gunzipSync } = await import('node:zlib');
  const rows = gunzipSync(await raw.bytes(key!))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const row of rows) expect(Object.keys(row)).toEqual(SEGMENT_COLUMNS.map((c) => c.name));
  expect(rows[0]).toMatchObject({
    session_id: 'cols',
    event_name: 'PostToolUseFailure',
    tool_name: 'Bash',
    outcome: 'failure',
    redaction_count: 0,
  });
  expect(rows[0]!.error_text).toContain('exceeded its progress deadline');
  expect(rows[1]).toMatchObject({
    outcome: 'success',
    error_text: null,
    redaction_count: 2,
    redactions: '{"aws-key":2}',
  });
  await backend.close();
});

test('a read racing compaction sees every event once, and deleting the session removes its partitioned rows', async () => {
  const backend = testBackend(server);
  const records = await seed(
    backend,
    'race',
    Array.from({ length: 120 }, (_, i) => T0 + DAY * 2 + i),
  );
  const [read] = await Promise.all([collect(backend.read('race')), compact(backend, 'race', { maxEvents: 25 })]);
  expect(read.map((r) => r.eventId).sort()).toEqual(records.map((r) => r.eventId).sort());
  expect(await collect(backend.read('race'))).toHaveLength(120);
  expect((await raw.keys(`${backend.prefix}/segments/`)).length).toBeGreaterThan(0);
  await backend.delete('race');
  expect(await raw.keys(`${backend.prefix}/segments/`)).toEqual([]);
  expect(await collect(backend.read('race'))).toEqual([]);
  await backend.close();
}, 30_000);
