import { fromMarkdown } from 'mdast-util-from-markdown';
import { expect, test } from 'vitest';
import { createTextRedactor } from '@runbook/hook-ingest';
import { createRecord } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { formatScore, scoreCorpus } from '../eval/score-corpus.mjs';
import { learnFromSession } from '../src/index.js';

// The same scorer `pnpm eval:learn` runs on the built packages: every expectation of the corpus must hold.
test('learn gets every session of the corpus right', async () => {
  const redact = createTextRedactor();
  const rows = await scoreCorpus({
    learnFromSession,
    createLocalBackend,
    createRecord,
    redact: (t: string) => redact(t),
    fromMarkdown,
  });
  const failed = rows.filter((r: { ok: boolean }) => !r.ok);
  expect(failed, formatScore(rows)).toEqual([]);
  expect(rows.length).toBeGreaterThan(40);
}, 60_000);
