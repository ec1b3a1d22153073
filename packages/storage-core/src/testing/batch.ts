import assert from 'node:assert/strict';
import { readAll, record, uniqueSession } from './fixtures.js';
import type { SuiteCase } from './case.js';

/** The optional `appendBatch()`: many records of many sessions in one go, outcomes in order, each stored once. */
export function batchTests(it: SuiteCase): void {
  it(
    'appendBatch stores records of several sessions, in order, with one outcome each',
    async (backend) => {
      const a = uniqueSession('batch-a');
      const b = uniqueSession('batch-b');
      const batch = [
        record(a, 'SessionStart'),
        record(b, 'SessionStart'),
        record(a, 'UserPromptSubmit', { prompt: 'why?' }),
        record(b, 'Stop'),
        record(a, 'Stop'),
      ];
      const outcomes = await backend.appendBatch!(batch);
      assert.deepEqual(outcomes, ['stored', 'stored', 'stored', 'stored', 'stored']);
      assert.deepEqual(await readAll(backend, a), [batch[0], batch[2], batch[4]]);
      assert.deepEqual(await readAll(backend, b), [batch[1], batch[3]]);
      assert.deepEqual(await backend.appendBatch!([]), []);
    },
    'appendBatch',
  );

  it(
    'appendBatch stores an event once, whether it comes again in the batch or was stored before',
    async (backend) => {
      const sessionId = uniqueSession('batch-again');
      const first = record(sessionId, 'PreToolUse', { tool_name: 'Read' });
      await backend.append(first);
      const second = record(sessionId, 'PostToolUse', { tool_name: 'Read' });
      const outcomes = await backend.appendBatch!([structuredClone(first), second, structuredClone(second)]);
      assert.equal(outcomes.length, 3);
      assert.equal(outcomes[1], 'stored');
      for (const outcome of outcomes) assert.ok(outcome === 'stored' || outcome === 'duplicate');
      assert.deepEqual(
        (await readAll(backend, sessionId)).map((r) => r.eventId),
        [first.eventId, second.eventId],
      );
    },
    'appendBatch',
  );
}
