// Feeds the bundled example session through `runbook integrations claude hook`, one process per event exactly
// as Claude Code would, into a temporary project; then shows what was stored and where.
//
//   node scripts/demo.mjs [--keep] [--project <dir>]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'apps/cli/dist/runbook.cjs');
const example = path.join(root, 'apps/cli/examples/oncall-session.jsonl');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const projectArg = args.indexOf('--project');
const project =
  projectArg !== -1 ? path.resolve(args[projectArg + 1]) : mkdtempSync(path.join(tmpdir(), 'runbook-demo-'));
mkdirSync(path.join(project, '.runbook'), { recursive: true });

const env = { ...process.env, CLAUDE_PROJECT_DIR: project, NO_COLOR: process.env.NO_COLOR ?? '' };
const runbook = (cliArgs, input) =>
  spawnSync(process.execPath, [cli, ...cliArgs], { input, env, cwd: project, encoding: 'utf8' });

const events = readFileSync(example, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
console.log(`runbook demo: ${events.length} hook events of an on-call session → ${project}`);
let slowest = 0;
const started = Date.now();
for (const line of events) {
  const t = Date.now();
  const result = runbook(['integrations', 'claude', 'hook'], line);
  slowest = Math.max(slowest, Date.now() - t);
  if (result.status !== 0 || result.stdout !== '') {
    console.error(`hook misbehaved (exit ${result.status}): ${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  if (result.stderr) process.stderr.write(result.stderr);
}
const elapsed = Date.now() - started;
console.log(
  `  hook: ${events.length} processes, ${(elapsed / events.length).toFixed(0)} ms each on average, slowest ${slowest} ms; nothing on stdout`,
);

const sessionsDir = path.join(project, '.runbook/hooks/claude/sessions');
for (const session of readdirSync(sessionsDir)) {
  const file = path.join(sessionsDir, session, 'events.ndjson');
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const counts = {};
  for (const r of records) counts[r.eventName] = (counts[r.eventName] ?? 0) + 1;
  console.log(`  stored: session ${records[0].sessionId}`);
  console.log(
    `          ${records.length} events, ${(statSync(file).size / 1024).toFixed(1)} KB in ${path.relative(project, file)}`,
  );
  console.log(
    `          ${Object.entries(counts)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ')}`,
  );
  console.log(`          from ${records[0].observedAt} to ${records.at(-1).observedAt}`);
}

// Later steps of the main job use the commands that read sessions back, when the CLI has them.
const help = runbook(['integrations', 'claude', '--help']).stdout;
const sessionId = JSON.parse(events[0]).session_id;
if (/^ {2}sessions\b/m.test(help)) {
  console.log('\n$ runbook integrations claude sessions list');
  process.stdout.write(runbook(['integrations', 'claude', 'sessions', 'list']).stdout);
}
if (/^ {2}learn\b/m.test(help)) {
  console.log(`\n$ runbook integrations claude learn ${sessionId}`);
  const learned = runbook(['integrations', 'claude', 'learn', sessionId]);
  process.stdout.write(learned.stdout);
  if (learned.status !== 0) {
    process.stderr.write(learned.stderr);
    process.exit(1);
  }
}

if (keep || projectArg !== -1) console.log(`\nproject kept at ${project}`);
else rmSync(project, { recursive: true, force: true });
