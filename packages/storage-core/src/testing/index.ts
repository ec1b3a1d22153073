import assert from 'node:assert/strict';
import type { SessionBackend } from '../backend/contract.js';
import { collect } from '../backend/contract.js';
import { createRecord, type StoredRecord } from '../record/record.js';

/** The part of a test runner the suite needs; vitest's and node:test's `test` both fit. */
export interface SuiteTest {
  (name: string, fn: (context: SuiteTestContext) => Promise<void>, timeout?: number): unknown;
}

/** vitest passes a context whose `skip()` marks the running test skipped; other runners may not. */
export interface SuiteTestContext {
  skip?: (note?: string) => void;
}

/** Makes a fresh, empty, isolated backend for each test. */
export type BackendFactory = () => SessionBackend | Promise<SessionBackend>;

export interface StorageTestSuiteOptions {
  /** Prefix for test names, e.g. the backend name. */
  name?: string;
  /** Concurrent appends in the concurrency test (default 100). */
  concurrency?: number;
  /** Per-test timeout in ms (default 30 000). */
  timeout?: number;
}

let counter = 0;
function uniqueSession(label: string): string {
  counter += 1;
  return `conf-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

function record(sessionId: string, eventName: string, payload: Record<string, unknown> = {}, at?: Date): StoredRecord {
  return createRecord({
    sessionId,
    eventName,
    cwd: '/work/project',
    transcriptPath: '/home/dev/.claude/projects/p/t.jsonl',
    payload: { session_id: sessionId, hook_event_name: eventName, ...payload },
    observedAt: at,
  });
}

async function readAll(backend: SessionBackend, sessionId: string): Promise<StoredRecord[]> {
  return collect(backend.read(sessionId));
}

/**
 * The storage conformance suite. Call it from a backend package's own test file:
 *
 *   storageTestSuite(test, () => createMyBackend(...), { name: 'my-backend' });
 *
 * Tests of optional capabilities (`list`, `delete`, `listDetails`) skip themselves when the backend
 * declares it lacks them.
 */
export function storageTestSuite(test: SuiteTest, factory: BackendFactory, options: StorageTestSuiteOptions = {}): void {
  const prefix = options.name ? `${options.name}: ` : '';
  const timeout = options.timeout ?? 30_000;
  const concurrency = options.concurrency ?? 100;

  function it(name: string, fn: (backend: SessionBackend) => Promise<void>, when?: (backend: SessionBackend) => boolean): void {
    test(`${prefix}${name}`, async (context) => {
      const backend = await factory();
      try {
        if (when && !when(backend)) {
          context?.skip?.(`${backend.name} declares it lacks this capability`);
          return;
        }
        await fn(backend);
      } finally {
        await backend.close?.();
      }
    }, timeout);
  }

  it('round-trips a record unchanged', async (backend) => {
    const sessionId = uniqueSession('roundtrip');
    const original = record(sessionId, 'PreToolUse', { tool_name: 'Bash', tool_input: { command: 'kubectl get pods -n payments' }, extra: { nested: [1, true, null] } });
    const outcome = await backend.append(original);
    assert.equal(outcome, 'stored');
    assert.deepEqual(await readAll(backend, sessionId), [original]);
  });

  it('reads records back in the order they were appended', async (backend) => {
    const sessionId = uniqueSession('order');
    const written: StoredRecord[] = [];
    for (let i = 0; i < 25; i++) {
      const r = record(sessionId, i % 2 ? 'PostToolUse' : 'PreToolUse', { seq: i });
      written.push(r);
      await backend.append(r);
    }
    const read = await readAll(backend, sessionId);
    assert.deepEqual(read.map((r) => r.payload.seq), written.map((r) => r.payload.seq));
  });

  it('keeps unicode in ids and payloads intact', async (backend) => {
    const sessionId = `${uniqueSession('unicode')}-séance-会话-🚀`;
    const text = 'Zürich → 東京 🚒 مرحبا e\u0301 \u{1F9D1}\u200D\u{1F692} \u0000 tab\t"quote" \\ \u2028';
    const r = record(sessionId, 'UserPromptSubmit', { prompt: text });
    await backend.append(r);
    const [back] = await readAll(backend, sessionId);
    assert.equal(back?.sessionId, sessionId);
    assert.equal(back?.payload.prompt, text);
  });

  it('stores a 1 MB payload', async (backend) => {
    const sessionId = uniqueSession('large');
    const big = 'x'.repeat(1024 * 1024);
    const r = record(sessionId, 'PostToolUse', { tool_response: { stdout: big } });
    await backend.append(r);
    const [back] = await readAll(backend, sessionId);
    assert.equal((back?.payload.tool_response as { stdout: string }).stdout.length, big.length);
  });

  it('reads an unknown session as empty', async (backend) => {
    assert.deepEqual(await readAll(backend, uniqueSession('missing')), []);
  });

  it('keeps sessions apart', async (backend) => {
    const a = uniqueSession('a');
    const b = uniqueSession('b');
    await backend.append(record(a, 'SessionStart'));
    await backend.append(record(b, 'SessionStart'));
    await backend.append(record(a, 'Stop'));
    assert.deepEqual((await readAll(backend, a)).map((r) => r.eventName), ['SessionStart', 'Stop']);
    assert.deepEqual((await readAll(backend, b)).map((r) => r.eventName), ['SessionStart']);
  });

  it('keeps hostile session ids inside the store and apart from each other', async (backend) => {
    const base = uniqueSession('hostile');
    const ids = [
      `../../${base}`,
      `/etc/${base}`,
      `${base}/../..`,
      `${base}\\..\\x`,
      `${base}\u0000nul`,
      `${base}%2F..%2F`,
      `${base}~2F`,
      `${base}/`,
      `${base}.`,
      `${base} `,
      `${base}${'z'.repeat(4000)}`,
      `${base}${'z'.repeat(4001)}`,
    ];
    for (const id of ids) await backend.append(record(id, 'SessionStart', { marker: id }));
    for (const id of ids) {
      const read = await readAll(backend, id);
      assert.equal(read.length, 1, `one record for ${JSON.stringify(id.slice(0, 60))}`);
      assert.equal(read[0]?.payload.marker, id);
    }
    for (const id of ['..', '.', '/']) {
      await backend.append(record(id, 'SessionStart', { marker: id }));
      const read = await readAll(backend, id);
      assert.deepEqual(read.map((r) => r.payload.marker), [id]);
      if (backend.capabilities.delete) await backend.delete!(id);
    }
  });

  it(`keeps every one of ${concurrency} concurrent appends`, async (backend) => {
    const sessionId = uniqueSession('concurrent');
    const records = Array.from({ length: concurrency }, (_, i) => record(sessionId, 'PostToolUse', { seq: i, body: 'y'.repeat(2000) }));
    await Promise.all(records.map((r) => backend.append(r)));
    const read = await readAll(backend, sessionId);
    assert.equal(read.length, concurrency);
    assert.deepEqual(new Set(read.map((r) => r.eventId)), new Set(records.map((r) => r.eventId)));
  });

  it('stores a re-delivered event once', async (backend) => {
    const sessionId = uniqueSession('redeliver');
    const r = record(sessionId, 'PreToolUse', { tool_name: 'Read' });
    await backend.append(r);
    const again = await backend.append(structuredClone(r));
    assert.ok(again === 'duplicate' || again === 'stored');
    await backend.append(record(sessionId, 'PostToolUse'));
    const read = await readAll(backend, sessionId);
    assert.deepEqual(read.map((x) => x.eventName), ['PreToolUse', 'PostToolUse']);
  });

  it('lists sessions', async (backend) => {
    const a = uniqueSession('list-a');
    const b = uniqueSession('list-b/../weird');
    await backend.append(record(a, 'SessionStart'));
    await backend.append(record(b, 'SessionStart'));
    const listed = await collect(backend.list!());
    const ids = listed.map((s) => s.sessionId);
    assert.ok(ids.includes(a), 'lists the first session');
    assert.ok(ids.includes(b), 'lists a session with an unusual id by its real id');
    assert.equal(new Set(ids).size, ids.length, 'no session listed twice');
  }, (backend) => backend.capabilities.list);

  it('lists event counts and first/last seen', async (backend) => {
    const sessionId = uniqueSession('details');
    const t0 = new Date('2026-03-01T10:00:00.000Z');
    const t1 = new Date('2026-03-01T10:05:00.000Z');
    await backend.append(record(sessionId, 'SessionStart', {}, t0));
    await backend.append(record(sessionId, 'UserPromptSubmit', {}, new Date('2026-03-01T10:01:00.000Z')));
    await backend.append(record(sessionId, 'Stop', {}, t1));
    const found = (await collect(backend.list!())).find((s) => s.sessionId === sessionId);
    assert.ok(found);
    assert.equal(found.eventCount, 3);
    assert.equal(found.firstSeen, t0.toISOString());
    assert.equal(found.lastSeen, t1.toISOString());
  }, (backend) => backend.capabilities.list && backend.capabilities.listDetails === true);

  it('deletes a session and nothing else', async (backend) => {
    const gone = uniqueSession('delete');
    const kept = uniqueSession('keep');
    await backend.append(record(gone, 'SessionStart'));
    await backend.append(record(kept, 'SessionStart'));
    await backend.delete!(gone);
    assert.deepEqual(await readAll(backend, gone), []);
    assert.equal((await readAll(backend, kept)).length, 1);
    if (backend.capabilities.list) {
      const ids = (await collect(backend.list!())).map((s) => s.sessionId);
      assert.ok(!ids.includes(gone));
    }
    await backend.delete!(uniqueSession('never-existed'));
  }, (backend) => backend.capabilities.delete);
}
