import assert from 'node:assert/strict';
import { readAll, record, uniqueSession } from './fixtures.js';
import type { SuiteCase } from './case.js';

/** Concurrent writers and re-delivered events: each event is kept, and kept once. */
export function concurrencyAndRedeliveryTests(it: SuiteCase, concurrency: number): void {
  it(`keeps every one of ${concurrency} concurrent appends`, async (backend) => {
    const sessionId = uniqueSession('concurrent');
    const records = Array.from({ length: concurrency }, (_, i) =>
      record(sessionId, 'PostToolUse', { seq: i, body: 'y'.repeat(2000) }),
    );
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
    assert.deepEqual(
      read.map((x) => x.eventName),
      ['PreToolUse', 'PostToolUse'],
    );
  });
}
