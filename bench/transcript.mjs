#!/usr/bin/env node
// Times the whole `runbook integrations claude hook` process for a Stop event whose transcript grew:
//   1. by about 1 KB (archived by the hook itself), against `node -e ''`, interleaved (bar: ratio <= 1.3);
//   2. by 10 MB (deferred to the background archiver), whole-process time (bar: <= 1500 ms).
// Then checks that every line of the 10 MB transcript was archived by the background archiver.
//
//   pnpm bench:transcript [--runs 30] [--big-runs 3] [--big-mb 10]
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, flag, median } from './lib.mjs';

const runs = Number(flag('runs', 30));
const bigRuns = Number(flag('big-runs', 3));
const bigMb = Number(flag('big-mb', 10));

const root = mkdtempSync(path.join(tmpdir(), 'runbook-bench-transcript-'));
const project = path.join(root, 'project');
mkdirSync(path.join(project, '.runbook'), { recursive: true });
const configDir = path.join(root, 'claude');
const folder = path.join(configDir, 'projects', project.replace(/[^A-Za-z0-9]/g, '-'));
mkdirSync(folder, { recursive: true });
const env = { ...process.env, CLAUDE_PROJECT_DIR: project, CLAUDE_CONFIG_DIR: configDir };

let uuid = 0;
/** One transcript line in Claude Code's shape, about `bytes` long. */
function line(sessionId, bytes) {
  uuid += 1;
  const type = uuid % 2 ? 'assistant' : 'user';
  const base = {
    parentUuid: `u-${uuid - 1}`,
    isSidechain: false,
    userType: 'external',
    cwd: project,
    sessionId,
    version: '2.1.40',
    type,
    uuid: `u-${uuid}`,
    timestamp: new Date(1_790_000_000_000 + uuid * 1000).toISOString(),
  };
  const filler = 'level=error msg="upstream timeout" route=/charge pool=exhausted ';
  const body = filler.repeat(Math.max(1, Math.ceil((bytes - 400) / filler.length))).slice(0, Math.max(10, bytes - 400));
  const message =
    type === 'assistant'
      ? { role: 'assistant', content: [{ type: 'text', text: body }] }
      : { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${uuid}`, content: body }] };
  return `${JSON.stringify({ ...base, message })}\n`;
}

function grow(file, sessionId, totalBytes, lineBytes) {
  let text = '';
  let written = 0;
  while (written < totalBytes) {
    const l = line(sessionId, Math.min(lineBytes, totalBytes - written + 400));
    text += l;
    written += Buffer.byteLength(l);
    if (text.length > 1 << 20) {
      appendFileSync(file, text);
      text = '';
    }
  }
  if (text) appendFileSync(file, text);
  return written;
}

function time(args, input) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { input, cwd: project, env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  if (result.stdout.length > 0) throw new Error(`hook wrote to stdout: ${result.stdout}`);
  if (result.stderr.length > 0) throw new Error(`hook reported: ${result.stderr}`);
  return ms;
}

const stopEvent = (sessionId) =>
  JSON.stringify({
    session_id: sessionId,
    transcript_path: path.join(folder, `${sessionId}.jsonl`),
    cwd: project,
    permission_mode: 'default',
    hook_event_name: 'Stop',
    stop_hook_active: false,
  });
const hookArgs = [cli, 'integrations', 'claude', 'hook'];
const chunksDir = (sessionId) => path.join(project, '.runbook/hooks/claude/sessions', sessionId, 'transcript/main');
const archivedBytes = (sessionId) => {
  if (!existsSync(chunksDir(sessionId))) return 0;
  let total = 0;
  for (const name of readdirSync(chunksDir(sessionId), { recursive: true, encoding: 'utf8' })) {
    const m = /(\d{15})-(\d{15})\.jsonl$/.exec(name);
    if (m) total = Math.max(total, Number(m[2]));
  }
  return total;
};

// 1. Small deltas.
const small = 'a1b2c3d4-0000-4000-8000-000000000001';
const smallFile = path.join(folder, `${small}.jsonl`);
grow(smallFile, small, 20_000, 1000);
for (let i = 0; i < 3; i++) {
  time(['-e', ''], '');
  grow(smallFile, small, 1024, 1024);
  time(hookArgs, stopEvent(small));
}
// The same Stop for a session whose transcript has nothing new: the hook without archiving work.
const idle = 'a1b2c3d4-0000-4000-8000-000000000002';
grow(path.join(folder, `${idle}.jsonl`), idle, 20_000, 1000);
time(hookArgs, stopEvent(idle));
const bare = [];
const hook = [];
const quiet = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', ''], ''));
  grow(smallFile, small, 1024, 1024);
  hook.push(time(hookArgs, stopEvent(small)));
  quiet.push(time(hookArgs, stopEvent(idle)));
}
const size = readFileSync(smallFile).length;
if (archivedBytes(small) !== size)
  throw new Error(`1 KB deltas: ${archivedBytes(small)} of ${size} bytes archived by the hooks`);
const b = median(bare);
const h = median(hook);
console.log(`Stop with a ~1 KB transcript delta (archived by the hook), runs: ${runs}`);
console.log(`  node -e '' median: ${b.toFixed(1)} ms`);
const q = median(quiet);
console.log(`  hook        median: ${h.toFixed(1)} ms`);
console.log(`  ratio: ${(h / b).toFixed(2)} (bar <= 1.3)`);
console.log(
  `  the same Stop with nothing new to archive: ${q.toFixed(1)} ms (ratio ${(q / b).toFixed(2)}); archiving 1 KB adds ${(h - q).toFixed(1)} ms`,
);

// 2. Large deltas.
const bigTimes = [];
const backgroundTimes = [];
for (let i = 0; i < bigRuns; i++) {
  const sessionId = `b1b2c3d4-0000-4000-8000-00000000010${i}`;
  const file = path.join(folder, `${sessionId}.jsonl`);
  grow(file, sessionId, bigMb * 1024 * 1024, 8 * 1024);
  const bytes = readFileSync(file).length;
  const started = Date.now();
  bigTimes.push(time(hookArgs, stopEvent(sessionId)));
  // The background archiver finishes the rest; wait for it before the next run.
  while (archivedBytes(sessionId) < bytes) {
    if (Date.now() - started > 120_000)
      throw new Error(
        `background archiver did not finish ${sessionId} within 120 s (${archivedBytes(sessionId)} of ${bytes} bytes)`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  backgroundTimes.push(Date.now() - started);
}
console.log(`Stop with a ${bigMb} MB transcript delta (deferred to the background archiver), runs: ${bigRuns}`);
console.log(
  `  hook median: ${median(bigTimes).toFixed(1)} ms (bar <= 1500 ms); max ${Math.max(...bigTimes).toFixed(1)} ms`,
);
console.log(
  `  every line archived in the background after ${median(backgroundTimes).toFixed(0)} ms (median, from the hook's start)`,
);
// Let the background archiver release its lock and exit before the directory goes.
await new Promise((resolve) => setTimeout(resolve, 500));
rmSync(root, { recursive: true, force: true });
