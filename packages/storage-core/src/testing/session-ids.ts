import assert from 'node:assert/strict';
import { readAll, record, uniqueSession } from './fixtures.js';
import type { SuiteCase } from './case.js';

/** Session ids come from untrusted input: none may reach outside the store or onto another session. */
export function sessionIdTests(it: SuiteCase): void {
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
      assert.deepEqual(
        read.map((r) => r.payload.marker),
        [id],
      );
      if (backend.delete) await backend.delete(id);
    }
  });
}
