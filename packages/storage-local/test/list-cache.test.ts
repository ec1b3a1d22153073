import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { collect, createRecord, serializeRecord } from '@runbook/storage-core';
import { createLocalBackend, sessionFile } from '../src/index.js';

const record = (n: number, sessionId: string) =>
  createRecord({
    sessionId,
    eventName: 'PostToolUse',
    cwd: '/srv',
    payload: { session_id: sessionId, hook_event_name: 'PostToolUse', n },
    observedAt: new Date(Date.UTC(2026, 10, 25, 14, 0, n)),
  });

function setup() {
  const baseDir = mkdtempSync(path.join(tmpdir(), 'runbook-list-cache-'));
  return { baseDir, backend: createLocalBackend({ baseDir }) };
}

test('a second listing reuses the counts of unchanged sessions and recounts the ones that grew', async () => {
  const { baseDir, backend } = setup();
  for (let n = 0; n < 5; n++) await backend.append(record(n, 'a'));
  for (let n = 0; n < 3; n++) await backend.append(record(n, 'b'));
  expect((await collect(backend.list!())).map((s) => [s.sessionId, s.eventCount])).toEqual([
    ['a', 5],
    ['b', 3],
  ]);
  expect(existsSync(path.join(baseDir, 'cache', 'local-list.json'))).toBe(true);

  // A cached count is what the listing shows while the file is unchanged: prove it by planting a wrong one.
  const cacheFile = path.join(baseDir, 'cache', 'local-list.json');
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  cache.folders.a.sessions[0].eventCount = 99;
  writeFileSync(cacheFile, JSON.stringify(cache));
  expect((await collect(backend.list!())).find((s) => s.sessionId === 'a')?.eventCount).toBe(99);

  // Any change to the file (an append) makes it counted again, exactly as read returns it.
  const sixth = record(5, 'a');
  await backend.append(sixth);
  appendFileSync(sessionFile(baseDir, 'a'), serializeRecord(sixth)); // the same event twice is one event
  const listed = await collect(backend.list!());
  expect(listed.map((s) => [s.sessionId, s.eventCount])).toEqual([
    ['a', 6],
    ['b', 3],
  ]);
  expect((await collect(backend.read('a'))).length).toBe(6);
});

test('an edit that keeps the size is seen through the modification time, and a broken cache is ignored', async () => {
  const { baseDir, backend } = setup();
  await backend.append(record(1, 'c'));
  await backend.append(record(2, 'c'));
  await collect(backend.list!());
  const file = sessionFile(baseDir, 'c');
  // Corrupt the second line in place (same size), with a different modification time.
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  lines[1] = 'x'.repeat(lines[1]!.length);
  writeFileSync(file, lines.join('\n'));
  const later = new Date(statSync(file).mtimeMs + 5000);
  utimesSync(file, later, later);
  expect((await collect(backend.list!()))[0]?.eventCount).toBe(1);

  writeFileSync(path.join(baseDir, 'cache', 'local-list.json'), '{not json');
  expect((await collect(backend.list!()))[0]?.eventCount).toBe(1);
  // Removed sessions leave the listing and the cache.
  const { rmSync } = await import('node:fs');
  rmSync(path.dirname(file), { recursive: true });
  expect(await collect(backend.list!())).toEqual([]);
  expect(JSON.parse(readFileSync(path.join(baseDir, 'cache', 'local-list.json'), 'utf8')).folders).toEqual({});
});
