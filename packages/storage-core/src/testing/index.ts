import { appendAndReadTests } from './append-read.js';
import { batchTests } from './batch.js';
import { suiteCase, type BackendFactory, type SuiteTest } from './case.js';
import { concurrencyAndRedeliveryTests } from './concurrency.js';
import { deleteTests } from './delete.js';
import { describeAndProbeTests } from './describe-probe.js';
import { listTests } from './list.js';
import { sessionIdTests } from './session-ids.js';
import { transcriptTests } from './transcript.js';

export type { BackendFactory, SuiteTest, SuiteTestContext } from './case.js';

export interface StorageTestSuiteOptions {
  /** Prefix for test names, e.g. the backend name. */
  name?: string;
  /** Concurrent appends in the concurrency test (default 100). */
  concurrency?: number;
  /** Per-test timeout in ms (default 30 000). */
  timeout?: number;
}

/**
 * The storage conformance suite. Call it from a backend package's own test file:
 *
 *   storageTestSuite(test, () => createMyBackend(...), { name: 'my-backend' });
 *
 * Groups, one file each: append and read, hostile session ids, concurrency and re-delivery, then the
 * optional capabilities (`appendBatch`, `list`, list details, `delete`, transcripts, `describe`, `probe`). A test
 * of an optional capability skips itself when the backend has no such method (or does not set `listDetails`).
 */
export function storageTestSuite(
  test: SuiteTest,
  factory: BackendFactory,
  options: StorageTestSuiteOptions = {},
): void {
  const it = suiteCase(test, factory, options.name ? `${options.name}: ` : '', options.timeout ?? 30_000);
  appendAndReadTests(it);
  sessionIdTests(it);
  concurrencyAndRedeliveryTests(it, options.concurrency ?? 100);
  batchTests(it);
  listTests(it);
  deleteTests(it);
  transcriptTests(it, Math.min(options.concurrency ?? 100, 50));
  describeAndProbeTests(it);
}
