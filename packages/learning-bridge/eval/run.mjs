#!/usr/bin/env node
// `pnpm eval:learn`: learns every session of the corpus (test/corpus) with the built packages and prints how
// many expectations hold, and what was found where one does not. Exits 1 unless all hold.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { formatScore, scoreCorpus } from './score-corpus.mjs';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(dist)) {
  console.error('eval:learn: packages/learning-bridge/dist is missing; run `pnpm build` first');
  process.exit(1);
}
const { learnFromSession } = await import('../dist/index.js');
const { createLocalBackend } = await import('@runbook/storage-local');
const { createRecord } = await import('@runbook/storage-core');
const { createTextRedactor } = await import('@runbook/hook-ingest');
const redact = createTextRedactor();
const rows = await scoreCorpus({
  learnFromSession,
  createLocalBackend,
  createRecord,
  redact: (t) => redact(t),
  fromMarkdown,
});
console.log(formatScore(rows));
process.exit(rows.every((r) => r.ok) ? 0 : 1);
