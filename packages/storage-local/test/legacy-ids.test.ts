import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect, createRecord, serializeRecord } from '@runbook/storage-core';
import { createLocalBackend, sessionFile } from '../src/index.js';

// RunbookAI kept a session in `sessions/<id with every character outside A-Za-z0-9._- turned into _>/`,
// one JSON line per event, without event ids. Its stores are read in place.

const at = (n: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, n)).toISOString();

/** A line as RunbookAI wrote it. */
function legacyLine(sessionId: string, n: number): string {
  return `${JSON.stringify({ observedAt: at(n), sessionId, eventName: 'PostToolUse', cwd: '/srv/app', transcriptPath: null, payload: { session_id: sessionId, hook_event_name: 'PostToolUse', n } })}\n`;
}

function legacyStore(folders: Record<string, string[]>) {
  const baseDir = mkdtempSync(path.join(tmpdir(), 'runbook-legacy-'));
  for (const [folder, lines] of Object.entries(folders)) {
    mkdirSync(path.join(baseDir, 'sessions', folder), { recursive: true });
    appendFileSync(path.join(baseDir, 'sessions', folder, 'events.ndjson'), lines.join(''));
  }
  return { baseDir, backend: createLocalBackend({ baseDir }) };
}

const record = (sessionId: string, n: number) =>
  createRecord({
    sessionId,
    eventName: 'Stop',
    cwd: '/srv/app',
    payload: { session_id: sessionId, hook_event_name: 'Stop', n },
    observedAt: new Date(at(n)),
  });

describe('RunbookAI-era sessions', () => {
  test.each([
    ['an id with dots', 'release.2026.11', 'release.2026.11'],
    ['an id with characters RunbookAI rewrote', 'team a/incident#7', 'team_a_incident_7'],
  ])('%s: every listed id opens, and new events join the same folder', async (_what, id, folder) => {
    const { baseDir, backend } = legacyStore({ [folder]: [legacyLine(id, 1), legacyLine(id, 2)] });
    const listed = await collect(backend.list!());
    expect(listed.map((s) => s.sessionId)).toEqual([id]);
    const records = await collect(backend.read(id));
    expect(records.map((r) => r.payload.n)).toEqual([1, 2]);

    await backend.append(record(id, 3));
    expect(readdirSync(path.join(baseDir, 'sessions'))).toEqual([folder]);
    expect((await collect(backend.read(id))).map((r) => r.payload.n)).toEqual([1, 2, 3]);
    expect(await collect(backend.list!())).toEqual([
      { sessionId: id, eventCount: 3, firstSeen: at(1), lastSeen: at(3) },
    ]);
  });

  test('a session split over the old and the current folder is one session, counted once', async () => {
    const id = 'svc.payments';
    const { baseDir, backend } = legacyStore({ 'svc.payments': [legacyLine(id, 1)] });
    mkdirSync(path.dirname(sessionFile(baseDir, id)), { recursive: true });
    appendFileSync(sessionFile(baseDir, id), serializeRecord(record(id, 2)));
    expect(await collect(backend.list!())).toEqual([
      { sessionId: id, eventCount: 2, firstSeen: at(1), lastSeen: at(2) },
    ]);
    expect((await collect(backend.read(id))).map((r) => r.payload.n)).toEqual([1, 2]);
  });

  test('two ids RunbookAI put in one folder are listed apart and each opens with its own events', async () => {
    const { backend } = legacyStore({ a_b: [legacyLine('a b', 1), legacyLine('a_b', 2), legacyLine('a b', 3)] });
    expect(await collect(backend.list!())).toEqual([
      { sessionId: 'a b', eventCount: 2, firstSeen: at(1), lastSeen: at(3) },
      { sessionId: 'a_b', eventCount: 1, firstSeen: at(2), lastSeen: at(2) },
    ]);
    expect((await collect(backend.read('a b'))).map((r) => r.payload.n)).toEqual([1, 3]);
    expect((await collect(backend.read('a_b'))).map((r) => r.payload.n)).toEqual([2]);
  });

  test('deleting a legacy session removes its old folder too', async () => {
    const id = 'release.7';
    const { baseDir, backend } = legacyStore({ 'release.7': [legacyLine(id, 1)] });
    await backend.delete!(id);
    expect(existsSync(path.join(baseDir, 'sessions', 'release.7'))).toBe(false);
    expect(await collect(backend.list!())).toEqual([]);
  });

  test('an id of dots never reaches outside the sessions folder', async () => {
    const { baseDir, backend } = legacyStore({});
    await backend.append(record('..', 1));
    expect(readdirSync(path.join(baseDir, 'sessions'))).toEqual(['~2E~2E']);
    expect((await collect(backend.read('..'))).length).toBe(1);
  });
});

describe('list counts what read returns', () => {
  test('two identical legacy lines, a corrupt line and a foreign line: list and read agree', async () => {
    const id = 's-1';
    const line = legacyLine(id, 1);
    const { backend } = legacyStore({
      's-1': [line, line, 'not json\n', legacyLine('someone-else', 2), legacyLine(id, 3)],
    });
    const read = await collect(backend.read(id));
    expect(read).toHaveLength(2);
    expect(await collect(backend.list!())).toEqual([
      { sessionId: id, eventCount: 2, firstSeen: at(1), lastSeen: at(3) },
    ]);
  });

  test('a folder holding only corrupt lines lists nothing that would not open', async () => {
    const { backend } = legacyStore({ 's-2': ['garbage\n', '{"half":\n'] });
    expect(await collect(backend.list!())).toEqual([]);
  });
});
