#!/usr/bin/env node
// Times `runbook integrations claude learn` (offline) on a generated 10,000-event session of about 50 MB,
// run as a real process of the built CLI. Peak RSS is the child's own getrusage maxRSS, reported at exit
// by a preloaded module. Bars: <= 3 s and <= 300 MB. Exits 1 when a bar is missed.
//
//   pnpm bench:learn [--events 10000] [--mb 50] [--runs 3] [--keep]
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, flag, median, root } from './lib.mjs';

const storageCore = path.join(root, 'packages/storage-core/dist/index.js');
const eventCount = Number(flag('events', 10_000));
const targetMb = Number(flag('mb', 50));
const runs = Number(flag('runs', 3));
const keep = flag('keep', false) === true;
const BAR_MS = 3000;
const BAR_MB = 300;

for (const [file, build] of [
  [cli, 'pnpm --filter @runbook/cli build'],
  [storageCore, 'pnpm --filter @runbook/storage-core build'],
]) {
  if (!existsSync(file)) {
    console.error(`bench:learn: ${path.relative(process.cwd(), file)} is missing; run \`${build}\` first`);
    process.exit(1);
  }
}
const { createRecord, serializeRecord } = await import(pathToFileURL(storageCore).href);

const SESSION = '7c0e5d2a-41f3-4b8e-a6d9-2f18c3b7e905';
const project = mkdtempSync(path.join(tmpdir(), 'runbook-bench-learn-'));
const cwd = '/home/oncall/src/checkout-platform';
const base = {
  session_id: SESSION,
  transcript_path: `/home/oncall/.claude/projects/-home-oncall-src-checkout-platform/${SESSION}.jsonl`,
  cwd,
  permission_mode: 'default',
};

/** A tool output of about `bytes` bytes: pod listings and JSON log lines, a few of them errors. */
function output(i, bytes) {
  const lines = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const line =
      n % 17 === 5
        ? `{"level":"error","ts":"2026-11-25T09:${String(n % 60).padStart(2, '0')}:01Z","msg":"upstream timeout calling inventory","route":"/v1/cart","attempt":${n}}`
        : n % 3 === 0
          ? `checkout-api-6b7d9c5f4-${(i * 31 + n).toString(36).padStart(5, 'a').slice(-5)}   1/1   Running   0   ${n % 90}m`
          : `{"level":"info","ts":"2026-11-25T09:${String(n % 60).padStart(2, '0')}:00Z","msg":"request served","route":"/v1/cart","status":200,"ms":${(i + n) % 400}}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

const commands = [
  'kubectl --context prod get pods -n checkout -l app=checkout-api',
  'kubectl --context prod logs deploy/checkout-api -n checkout --tail=200',
  'kubectl --context prod describe deployment checkout-api -n checkout',
  'kubectl --context prod top pods -n checkout',
];

/**
 * How long each tool output must be for the whole file to come to `totalBytes`: Pre events are small,
 * Post events carry the volume; record framing and JSON escaping are measured on a sample, not guessed.
 */
function outputBytesFor(totalBytes) {
  const sizeOf = (eventName, payload) =>
    serializeRecord(
      createRecord({
        sessionId: SESSION,
        eventName,
        cwd,
        transcriptPath: base.transcript_path,
        payload: { ...base, hook_event_name: eventName, ...payload },
      }),
    ).length;
  const tool_input = { command: `${commands[0]} # 1234`, description: 'Check checkout-api' };
  const pre = sizeOf('PreToolUse', { tool_name: 'Bash', tool_input, tool_use_id: 'toolu_bench001234' });
  const post = (bytes) =>
    sizeOf('PostToolUse', {
      tool_name: 'Bash',
      tool_input,
      tool_use_id: 'toolu_bench001234',
      tool_response: { stdout: output(1234, bytes), stderr: '', interrupted: false, isImage: false },
    });
  const wantedPost = (2 * totalBytes) / eventCount - pre;
  const sample = 8192;
  const perByte = (post(sample) - post(0)) / sample;
  return Math.max(64, Math.round((wantedPost - post(0)) / perByte));
}

/** Generate the session's records in order: start, prompt, tool calls (some failing, some changes), stop, end. */
function* sessionRecords() {
  const start = Date.parse('2026-11-25T09:00:00.000Z');
  const postBytes = outputBytesFor(targetMb * 1024 * 1024);
  let n = 0;
  const at = () => new Date(start + n++ * 700);
  const record = (eventName, payload) =>
    createRecord({
      sessionId: SESSION,
      eventName,
      cwd,
      transcriptPath: base.transcript_path,
      payload: { ...base, hook_event_name: eventName, ...payload },
      observedAt: at(),
    });
  yield record('SessionStart', { source: 'startup' });
  yield record('UserPromptSubmit', {
    prompt:
      'checkout-api p99 latency is 4s and 5xx errors are at 8% in prod since the 09:00 deploy. Find out why and fix it.',
  });
  for (let i = 0; n < eventCount - 2; i++) {
    const id = `toolu_bench${String(i).padStart(6, '0')}`;
    const failing = i % 250 === 249;
    const changing = i % 400 === 399;
    const command = changing
      ? `kubectl --context prod rollout restart deployment/checkout-api -n checkout # ${i}`
      : `${commands[i % commands.length]} # ${i}`;
    const tool_input = { command, description: 'Check checkout-api' };
    yield record('PreToolUse', { tool_name: 'Bash', tool_input, tool_use_id: id });
    if (n >= eventCount - 2) break;
    yield failing
      ? record('PostToolUseFailure', {
          tool_name: 'Bash',
          tool_input,
          tool_use_id: id,
          error: 'Exit code 1\nerror: You must be logged in to the server (Unauthorized)',
          is_interrupt: false,
        })
      : record('PostToolUse', {
          tool_name: 'Bash',
          tool_input,
          tool_use_id: id,
          tool_response: {
            stdout: changing ? 'deployment.apps/checkout-api restarted' : output(i, postBytes),
            stderr: '',
            interrupted: false,
            isImage: false,
          },
        });
  }
  yield record('Stop', { stop_hook_active: false });
  yield record('SessionEnd', { reason: 'prompt_input_exit' });
}

async function writeSession() {
  const file = path.join(project, '.runbook', 'hooks', 'claude', 'sessions', SESSION, 'events.ndjson');
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let count = 0;
  for (const r of sessionRecords()) {
    count++;
    if (!out.write(serializeRecord(r))) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return { file, count, bytes: statSync(file).size };
}

// Reports the process's own peak RSS (kilobytes on Linux) on stderr as it exits.
const preload = `data:text/javascript,${encodeURIComponent("import { writeSync } from 'node:fs'; process.on('exit', () => { writeSync(2, '\\n__bench_maxrss_kb=' + process.resourceUsage().maxRSS + '\\n'); });")}`;

function runLearn() {
  const args = [
    '--import',
    preload,
    cli,
    'integrations',
    'claude',
    'learn',
    SESSION,
    '--project-dir',
    project,
    '--json',
  ];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd: project,
      env: { ...process.env, ANTHROPIC_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = /__bench_maxrss_kb=(\d+)/.exec(stderr);
      if (code !== 0)
        return reject(new Error(`learn exited ${code}: ${stderr.replace(/__bench_maxrss_kb=\d+/, '').trim()}`));
      const result = JSON.parse(Buffer.concat(out).toString('utf8'));
      resolve({ ms, rssMb: rss ? Number(rss[1]) / 1024 : NaN, result });
    });
  });
}

try {
  const session = await writeSession();
  console.log(
    `session: ${session.count} events, ${(session.bytes / 1024 / 1024).toFixed(1)} MB (${path.relative(project, session.file)} in ${project})`,
  );
  console.log(
    `command: node ${path.relative(process.cwd(), cli)} integrations claude learn ${SESSION} --project-dir <tmp> --json`,
  );
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const sample = await runLearn();
    samples.push(sample);
    console.log(`run ${i + 1}: ${sample.ms.toFixed(0)} ms, peak RSS ${sample.rssMb.toFixed(0)} MB`);
  }
  const last = samples.at(-1).result;
  if (last.investigation === undefined && !last.artifacts?.postmortem) throw new Error('learn printed no artifacts');
  console.log(
    `postmortem: ${path.relative(project, last.artifacts.postmortem)} (drafter ${last.drafter}, ${last.headline.failingCommands.length} failing commands, fix: ${last.headline.fix.slice(0, 80)})`,
  );
  const ms = median(samples.map((s) => s.ms));
  const rss = Math.max(...samples.map((s) => s.rssMb));
  const ok = ms <= BAR_MS && rss <= BAR_MB;
  console.log(
    `median time ${ms.toFixed(0)} ms (bar ${BAR_MS} ms), peak RSS ${rss.toFixed(0)} MB (bar ${BAR_MB} MB): ${ok ? 'PASS' : 'OVER'}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  if (keep) console.log(`kept ${project}`);
  else rmSync(project, { recursive: true, force: true });
}
