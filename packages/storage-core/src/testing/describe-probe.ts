import assert from 'node:assert/strict';
import { collect } from '../backend/contract.js';
import type { SuiteCase } from './case.js';

/** The optional `describe()` and `probe()`: printable, and a probe leaves nothing behind. */
export function describeAndProbeTests(it: SuiteCase): void {
  it(
    'describe says where the data lives, in one printable line',
    async (backend) => {
      const description = backend.describe!();
      assert.equal(typeof description.location, 'string');
      assert.ok(description.location.trim().length > 0, 'a location');
      assert.ok(!/[\r\n]/.test(description.location), 'one line');
      for (const [label, value] of Object.entries(description.details ?? {}))
        assert.equal(typeof value, 'string', label);
    },
    'describe',
  );

  it(
    'probe passes on a working backend and leaves no session behind',
    async (backend) => {
      const before = backend.list ? (await collect(backend.list())).map((s) => s.sessionId) : [];
      const result = await backend.probe!();
      assert.equal(result.ok, true, `${result.detail}${result.fix ? ` (fix: ${result.fix})` : ''}`);
      assert.ok(result.detail.trim().length > 0, 'says what it checked');
      if (backend.list)
        assert.deepEqual(
          (await collect(backend.list())).map((s) => s.sessionId),
          before,
        );
    },
    'probe',
  );
}
