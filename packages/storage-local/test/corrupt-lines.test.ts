import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect, createRecord, serializeRecord, type ReadIssue } from '@runbook/storage-core';
import { createLocalBackend, sessionFile } from '../src/index.js';

// An events file is append-only and shared by every writer on the machine: it can hold lines cut short by a
// crash, lines from older or foreign writers, and plain garbage. Readers skip them, say where, and go on.

function setup() {
  const baseDir = mkdtempSync(path.join(tmpdir(), 'runbook-corrupt-'));
  return { baseDir, backend: createLocalBackend({ baseDir }), file: sessionFile(baseDir, 's-1') };
}

const record = (n: number, sessionId = 's-1') =>
  createRecord({
    sessionId,
    eventName: 'PostToolUse',
    cwd: '/srv',
    payload: { session_id: sessionId, hook_event_name: 'PostToolUse', n },
    observedAt: new Date(Date.UTC(2026, 10, 25, 14, 0, n)),
  });

/** Read a session and count what was skipped, as a command does before printing one summary line. */
async function readCounting(backend: ReturnType<typeof createLocalBackend>, sessionId: string) {
  const issues: ReadIssue[] = [];
  const records = await collect(backend.read(sessionId, { onIssue: (issue) => issues.push(issue) }));
  const counts: Partial<Record<ReadIssue['kind'], number>> = {};
  for (const issue of issues) counts[issue.kind] = (counts[issue.kind] ?? 0) + 1;
  return { records, issues, counts };
}

describe('reading an events file with corrupt and foreign lines', () => {
  test('good records come back in order; each bad line is skipped and reported with its line number', async () => {
    const { backend, file } = setup();
    const first = record(1);
    await backend.append(first);
    appendFileSync(file, 'not json at all\n');
    appendFileSync(
      file,
      Buffer.concat([Buffer.from('{"sessionId":"s-1","payload":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]),
    );
    appendFileSync(file, '{"type":"summary","summary":"a transcript line from another tool","leafUuid":"x"}\n');
    appendFileSync(file, `${JSON.stringify({ ...record(2), schemaVersion: 99 })}\n`);
    appendFileSync(file, '\n');
    appendFileSync(file, serializeRecord(first));
    await backend.append(record(3));
    appendFileSync(file, serializeRecord(record(4, 'someone-else')));

    const { records, issues, counts } = await readCounting(backend, 's-1');
    expect(records.map((r) => r.payload.n)).toEqual([1, 3]);
    expect(counts).toEqual({ 'corrupt-line': 4, duplicate: 1 });
    expect(issues.map((i) => i.location)).toEqual([`${file}:2`, `${file}:3`, `${file}:4`, `${file}:5`, `${file}:7`]);
    expect(issues.every((i) => i.sessionId === 's-1' && !i.detail.includes('\n'))).toBe(true);
  });

  test('a last line cut short by a crash is reported as torn, not as corrupt', async () => {
    const { backend, file } = setup();
    await backend.append(record(1));
    await backend.append(record(2));
    const whole = serializeRecord(record(3));
    appendFileSync(file, whole.slice(0, whole.length / 2));
    const { records, issues } = await readCounting(backend, 's-1');
    expect(records.map((r) => r.payload.n)).toEqual([1, 2]);
    expect(issues).toEqual([
      {
        kind: 'torn-line',
        sessionId: 's-1',
        location: `${file}:3`,
        detail: expect.stringMatching(/^last line is incomplete \(\d+ bytes\), skipped$/),
      },
    ]);
  });

  test('lines of NUL bytes and stray brackets are skipped without throwing', async () => {
    const { backend, file } = setup();
    await backend.append(record(1));
    appendFileSync(file, `${'\u0000'.repeat(64)}\n{{{{\n]]]\n`);
    const { records, counts } = await readCounting(backend, 's-1');
    expect(records).toHaveLength(1);
    expect(counts).toEqual({ 'corrupt-line': 3 });
  });

  test('a session whose first line is corrupt is still listed, with its readable events', async () => {
    const { backend, file } = setup();
    await backend.append(record(1));
    writeFileSync(file, `garbage from an older writer\n${readFileSync(file, 'utf8')}`);
    await backend.append(record(2));
    const [summary] = await collect(backend.list!());
    expect(summary?.sessionId).toBe('s-1');
    expect(summary?.lastSeen).toBe(record(2).observedAt);
    const { records, counts } = await readCounting(backend, 's-1');
    expect(records.map((r) => r.payload.n)).toEqual([1, 2]);
    expect(counts).toEqual({ 'corrupt-line': 1 });
  });

  test('an event appended after a torn line is not lost', async () => {
    const { backend, file } = setup();
    await backend.append(record(1));
    appendFileSync(file, serializeRecord(record(2)).slice(0, 40));
    await backend.append(record(3));
    const { records } = await readCounting(backend, 's-1');
    expect(records.map((r) => r.payload.n)).toEqual([1, 3]);
  });
});
