#!/usr/bin/env node
// Generates compacted segments holding 1,000,000 events over 30 days (the layout and columns compaction
// writes to a bucket: dt=YYYY-MM-DD/<session>.<...>.ndjson.gz), then times a typical question — failures by
// tool and day over 30 days — end to end as real processes of the built CLI:
//   cold: the first run, which builds the per-day parquet cache from the segments;
//   warm: later runs (the cache is reused; only changed days are rebuilt).
// Also reports segment bytes per event. Bar: warm <= 2 s. Exits 1 when the bar is missed.
//
//   pnpm bench:query [--events 1000000] [--days 30] [--runs 3] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, flag, median, root } from './lib.mjs';

const storageCore = path.join(root, 'packages/storage-core/dist/index.js');
const eventCount = Number(flag('events', 1_000_000));
const days = Number(flag('days', 30));
const runs = Number(flag('runs', 3));
const keep = flag('keep', false) === true;
const BAR_MS = 2000;
const PER_SEGMENT = 1000;

for (const [file, build] of [
  [cli, 'pnpm --filter @runbook/cli build'],
  [storageCore, 'pnpm --filter @runbook/storage-core build'],
]) {
  if (!existsSync(file)) {
    console.error(`bench:query: ${path.relative(process.cwd(), file)} is missing; run \`${build}\` first`);
    process.exit(1);
  }
}
const { createRecord, encodeSegment } = await import(pathToFileURL(storageCore).href);

const TOOLS = ['Bash', 'Read', 'Edit', 'Grep', 'Write', 'Glob', 'WebFetch', 'Task'];
const COMMANDS = [
  'kubectl get pods -n billing',
  'npm test -- --run',
  'git status --short',
  'helm upgrade billing ./chart -f values-staging.yaml',
  'psql -c "select 1"',
];
const STDOUT =
  'NAME                          READY   STATUS    RESTARTS   AGE\nbilling-api-7d9f8c6b5-x2k4p   1/1     Running   0          3h\nbilling-worker-5c7d9-qq8rt    1/1     Running   2          3h\n';

/** One realistic hook event: tool calls dominate, a few fail, prompts and stops in between. */
function event(sessionId, n, at) {
  const tool = TOOLS[n % TOOLS.length];
  const command = COMMANDS[n % COMMANDS.length];
  const kind = n % 10;
  const base = {
    session_id: sessionId,
    transcript_path: `/home/dev/.claude/projects/-srv-billing/${sessionId}.jsonl`,
    cwd: '/srv/billing',
    permission_mode: 'default',
  };
  if (kind === 0)
    return createRecord({
      sessionId,
      eventName: 'UserPromptSubmit',
      cwd: '/srv/billing',
      payload: { ...base, hook_event_name: 'UserPromptSubmit', prompt: `check why ${command} fails on staging` },
      observedAt: at,
    });
  if (kind === 9)
    return createRecord({
      sessionId,
      eventName: 'PostToolUseFailure',
      cwd: '/srv/billing',
      payload: {
        ...base,
        hook_event_name: 'PostToolUseFailure',
        tool_name: tool,
        tool_use_id: `toolu_${n}`,
        tool_input: { command },
        error: `Exit code 1\nError: connect ECONNREFUSED 10.0.${n % 250}.${n % 200}:5432`,
      },
      observedAt: at,
    });
  if (kind % 2 === 1)
    return createRecord({
      sessionId,
      eventName: 'PreToolUse',
      cwd: '/srv/billing',
      payload: {
        ...base,
        hook_event_name: 'PreToolUse',
        tool_name: tool,
        tool_use_id: `toolu_${n}`,
        tool_input: { command },
      },
      observedAt: at,
    });
  return createRecord({
    sessionId,
    eventName: 'PostToolUse',
    cwd: '/srv/billing',
    payload: {
      ...base,
      hook_event_name: 'PostToolUse',
      tool_name: tool,
      tool_use_id: `toolu_${n}`,
      tool_input: { command },
      tool_response: { stdout: STDOUT, stderr: '', interrupted: false },
    },
    observedAt: at,
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'runbook-bench-query-'));
const project = path.join(work, 'project');
const segments = path.join(work, 'segments');
mkdirSync(path.join(project, '.runbook'), { recursive: true });
const start = Date.UTC(2026, 9, 1);
const perDay = Math.ceil(eventCount / days);
let written = 0;
let bytes = 0;
const t0 = performance.now();
for (let d = 0; d < days && written < eventCount; d++) {
  const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
  mkdirSync(path.join(segments, `dt=${day}`), { recursive: true });
  for (let s = 0; written < eventCount && s * PER_SEGMENT < perDay; s++) {
    const sessionId = `s-${d}-${s}`;
    const records = [];
    for (let i = 0; i < PER_SEGMENT && written < eventCount; i++, written++)
      records.push(event(sessionId, written, new Date(start + d * 86_400_000 + i * 1500)));
    const body = encodeSegment(records);
    bytes += body.length;
    writeFileSync(
      path.join(
        segments,
        `dt=${day}`,
        `${sessionId}.${records[0].eventId}.${records.at(-1).eventId}.${records.length}.ndjson.gz`,
      ),
      body,
    );
  }
}
console.log(
  `bench:query: ${written.toLocaleString('en')} events in ${readdirSync(segments).length} day partitions, ${(bytes / 1e6).toFixed(1)} MB of segments (${(bytes / written).toFixed(1)} bytes per event), generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const SQL =
  "select dt, tool_name, count(*) as failures from events where outcome = 'failure' and dt >= date '2026-10-01' group by all order by dt, failures desc";
function question() {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      cli,
      'integrations',
      'claude',
      'query',
      SQL,
      '--json',
      '--no-refresh',
      '--segments',
      segments,
      '--project-dir',
      project,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const ms = performance.now() - started;
  if (result.status !== 0) {
    console.error(`bench:query: query failed: ${result.stderr}`);
    process.exit(1);
  }
  return { ms, rows: JSON.parse(result.stdout) };
}

const cold = question();
const failures = cold.rows.reduce((n, row) => n + row.failures, 0);
const warm = [];
for (let i = 0; i < runs; i++) warm.push(question().ms);
const cacheBytes = readdirSync(path.join(project, '.runbook/cache/query'), { recursive: true })
  .map((f) => path.join(project, '.runbook/cache/query', f))
  .filter((f) => statSync(f).isFile())
  .reduce((n, f) => n + statSync(f).size, 0);
const warmMs = median(warm);
console.log(
  `bench:query: failures by tool and day over ${days} days (${cold.rows.length} rows, ${failures.toLocaleString('en')} failures)`,
);
console.log(
  `  cold (builds the parquet day cache, ${(cacheBytes / 1e6).toFixed(1)} MB): ${(cold.ms / 1000).toFixed(2)} s`,
);
console.log(
  `  warm median of ${runs}: ${(warmMs / 1000).toFixed(2)} s (bar <= ${BAR_MS / 1000} s) ${warmMs <= BAR_MS ? 'ok' : 'MISSED'}`,
);
console.log(`  segment bytes per event: ${(bytes / written).toFixed(1)}`);
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`  kept: ${work}`);
process.exit(warmMs <= BAR_MS ? 0 : 1);
