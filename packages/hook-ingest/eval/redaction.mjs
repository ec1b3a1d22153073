#!/usr/bin/env node
// Recall and false positives of the built-in redaction on the labelled corpus (test/corpus/secrets.mjs):
// secrets that must go, look-alikes and references that must stay. Needs the package built.
//
//   pnpm eval:redaction [--verbose]
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scoreRedaction } from '../test/corpus/score.mjs';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(dist)) {
  console.error(
    'eval:redaction: packages/hook-ingest/dist is missing; run `pnpm --filter @runbook/hook-ingest build` first',
  );
  process.exit(1);
}
const { redactJson, redactText } = await import(pathToFileURL(dist).href);
const score = scoreRedaction(
  (text) => redactText(text).text,
  (value) => redactJson(value).value,
);
const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log(`recall: ${score.removed}/${score.secrets} secrets removed (${pct(score.recall)})`);
console.log(
  `false positives: ${score.falsePositives}/${score.stays} texts changed that had to stay (${pct(score.falsePositiveRate)})`,
);
for (const [kind, k] of Object.entries(score.byKind)) {
  const parts = [];
  if (k.secrets) parts.push(`${k.removed}/${k.secrets} removed`);
  if (k.kept + k.damaged) parts.push(`${k.kept}/${k.kept + k.damaged} kept`);
  console.log(`  ${kind.padEnd(16)} ${parts.join(', ')}`);
}
for (const m of score.missed) console.log(`missed: ${m}`);
for (const d of score.damaged)
  console.log(`changed: ${process.argv.includes('--verbose') ? d : d.split(': ').slice(0, 2).join(': ')}`);
