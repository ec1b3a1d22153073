import assert from 'node:assert/strict';
import type { StoredRecord } from '../record/record.js';
import { readAll, record, uniqueSession } from './fixtures.js';
import type { SuiteCase } from './case.js';

/** Required of every backend: what is appended reads back whole, in order, per session. */
export function appendAndReadTests(it: SuiteCase): void {
  it('round-trips a record unchanged', async (backend) => {
    const sessionId = uniqueSession('roundtrip');
    const original = record(sessionId, 'PreToolUse', {
      tool_name: 'Bash',
      tool_input: { command: 'kubectl get pods -n payments' },
      extra: { nested: [1, true, null] },
    });
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
    assert.deepEqual(
      read.map((r) => r.payload.seq),
      written.map((r) => r.payload.seq),
    );
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
    assert.equal((back!.payload.tool_response as { stdout: string }).stdout.length, big.length);
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
    assert.deepEqual(
      (await readAll(backend, a)).map((r) => r.eventName),
      ['SessionStart', 'Stop'],
    );
    assert.deepEqual(
      (await readAll(backend, b)).map((r) => r.eventName),
      ['SessionStart'],
    );
  });
}
