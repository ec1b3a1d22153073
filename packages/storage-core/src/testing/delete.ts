import assert from 'node:assert/strict';
import { collect } from '../backend/contract.js';
import { readAll, record, uniqueSession } from './fixtures.js';
import type { SuiteCase } from './case.js';

/** The optional `delete()`. */
export function deleteTests(it: SuiteCase): void {
  it(
    'deletes a session and nothing else',
    async (backend) => {
      const gone = uniqueSession('delete');
      const kept = uniqueSession('keep');
      await backend.append(record(gone, 'SessionStart'));
      await backend.append(record(kept, 'SessionStart'));
      await backend.delete!(gone);
      assert.deepEqual(await readAll(backend, gone), []);
      assert.equal((await readAll(backend, kept)).length, 1);
      if (backend.list) {
        const ids = (await collect(backend.list())).map((s) => s.sessionId);
        assert.ok(!ids.includes(gone));
      }
      await backend.delete!(uniqueSession('never-existed'));
    },
    'delete',
  );
}
