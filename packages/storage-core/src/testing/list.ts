import assert from 'node:assert/strict';
import { collect } from '../backend/contract.js';
import { record, uniqueSession } from './fixtures.js';
import type { SuiteCase } from './case.js';

/** The optional `list()` and what `listDetails` promises about it. */
export function listTests(it: SuiteCase): void {
  it(
    'lists sessions',
    async (backend) => {
      const a = uniqueSession('list-a');
      const b = uniqueSession('list-b/../weird');
      await backend.append(record(a, 'SessionStart'));
      await backend.append(record(b, 'SessionStart'));
      const listed = await collect(backend.list!());
      const ids = listed.map((s) => s.sessionId);
      assert.ok(ids.includes(a), 'lists the first session');
      assert.ok(ids.includes(b), 'lists a session with an unusual id by its real id');
      assert.equal(new Set(ids).size, ids.length, 'no session listed twice');
    },
    'list',
  );

  it(
    'lists event counts and first/last seen',
    async (backend) => {
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
    },
    'listDetails',
  );
}
