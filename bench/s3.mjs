#!/usr/bin/env node
// S3 backend benchmark against a local S3-compatible server (fauxqs on 127.0.0.1), in one run:
//   1. hook cost: whole `runbook integrations claude hook` processes with backend: s3 (spool-first, the
//      default) against the same hook with backend: local, interleaved; medians and ratio (bar <= 1.1);
//   2. the same with the S3 server down (bar <= 1.1);
//   3. delivery: 10 hook events a second for a while, each in its own session; the time from each hook's
//      exit to its object being listed in the bucket, p50 and p95 (bar: p95 <= 5 s);
//   4. storm: 500 hook events as fast as 50 at a time go; every event stored once, and the runbook
//      processes still alive 30 s after the last hook exited (bar: 0);
//   5. (full mode) sync throughput for 1,000 events waiting in the outbox, and upload: inline's hook median.
//
//   pnpm bench:s3 [--quick] [--runs 30] [--rate-seconds 30] [--storm 500] [--spooled 1000] [--cli apps/cli/dist/runbook.cjs]
// --quick: fewer samples (runs 12, 10 s of traffic, a 200-event storm, no sync and inline parts); the 30 s
// check after the storm stays. Needs the built CLI and storage-core (pnpm build).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, flag, median, root } from './lib.mjs';

// fauxqs is a dev dependency of storage-s3; its package exports only an ESM entry, loaded by path.
const { buildApp } = await import(
  pathToFileURL(path.join(root, 'packages/storage-s3/node_modules/fauxqs/dist/app.js')).href
);
const core = await import(pathToFileURL(path.join(root, 'packages/storage-core/dist/index.js')).href);

const quick = flag('quick', false) === true;
const runs = Number(flag('runs', quick ? 12 : 30));
const rateSeconds = Number(flag('rate-seconds', quick ? 10 : 30));
const stormEvents = Number(flag('storm', quick ? 200 : 500));
const spooled = Number(flag('spooled', 1000));
const AFTER_STORM_MS = 30_000;
const bucket = 'runbook-bench';

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'runbook-bench',
  AWS_SECRET_ACCESS_KEY: 'runbook-bench-secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

const dirs = [];
function project(lines) {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-bench-s3-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, '.runbook'), { recursive: true });
  writeFileSync(
    path.join(dir, '.runbook', 'config.yaml'),
    ['integrations:', '  claude:', '    sessionStorage:', ...lines.map((l) => `      ${l}`), ''].join('\n'),
  );
  return dir;
}

function s3Project(endpoint, prefix, extra = []) {
  return project([
    'backend: s3',
    'mirrorLocal: true',
    ...extra,
    's3:',
    `  bucket: ${bucket}`,
    `  prefix: ${prefix}`,
    `  endpoint: ${endpoint}`,
    '  forcePathStyle: true',
  ]);
}

function outboxSize(dir) {
  try {
    return readdirSync(path.join(dir, '.runbook/hooks/claude/outbox')).filter((n) => n.endsWith('.json')).length;
  } catch {
    return 0;
  }
}

/** Run the CLI to completion. Asynchronously: the server answering it lives in this process. */
function runCli(dir, args, input = '') {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...env, CLAUDE_PROJECT_DIR: dir } });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      const end = process.hrtime.bigint();
      resolve({
        status,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        ms: Number(end - start) / 1e6,
        exitedAt: Date.now(),
      });
    });
    child.stdin.end(input);
  });
}

function event(sessionId, i) {
  return JSON.stringify({
    session_id: sessionId,
    transcript_path: '/home/dev/.claude/projects/-srv-payments/bench.jsonl',
    cwd: '/srv/payments',
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_use_id: `toolu_${i}`,
    tool_input: { command: 'kubectl -n payments logs deploy/payments-api --tail=50' },
    tool_response: {
      stdout: 'level=error msg="upstream timeout" route=/charge\n'.repeat(40),
      stderr: '',
      interrupted: false,
    },
  });
}

async function hook(dir, sessionId, i) {
  const result = await runCli(dir, ['integrations', 'claude', 'hook'], event(sessionId, i));
  if (result.status !== 0 || result.stdout.length > 0)
    throw new Error(`hook exited ${result.status}: ${result.stderr}`);
  return result;
}

/** Keys under a prefix, by listing the bucket over plain HTTP (fauxqs does not check signatures). */
async function listKeys(endpoint, prefix) {
  const keys = [];
  let token;
  do {
    const url = new URL(`${endpoint}/${bucket}`);
    url.searchParams.set('list-type', '2');
    url.searchParams.set('prefix', `${prefix}/`);
    if (token) url.searchParams.set('continuation-token', token);
    const xml = await (await fetch(url)).text();
    for (const m of xml.matchAll(/<Key>([^<]+)<\/Key>/g)) keys.push(m[1]);
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
      ? /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1]
      : undefined;
  } while (token);
  return keys;
}

/** Processes running the CLI under test (drainers included), other than this one; only those naming `dir` when given. */
function runbookProcesses(dir) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (args.includes(cli) && (!dir || args.some((a) => a.includes(dir))) && !/\) [ZX] /.test(state))
        found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

async function until(check, timeoutMs, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}

/** A port nothing listens on: an S3 server that is down. */
async function closedPort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** End drainers this run started (their command lines name its project directories). */
function stop(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** Interleaved medians of two hook set-ups: the same machine load falls on both. */
async function compare(a, b) {
  const times = { a: [], b: [] };
  for (let i = 0; i < runs; i++) {
    times.a.push((await hook(a, 'bench-cost', i)).ms);
    times.b.push((await hook(b, 'bench-cost', i)).ms);
  }
  return { a: median(times.a), b: median(times.b) };
}

const app = buildApp({ logger: false });
const endpoint = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
const created = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
if (!created.ok) throw new Error(`cannot create bucket: HTTP ${created.status}`);
const lines = [];
const say = (line) => {
  lines.push(line);
  process.stderr.write(`${line}\n`);
};
let failed = false;

try {
  const local = project(['backend: local']);

  // 1. Hook cost, server up.
  const up = await compare(local, s3Project(endpoint, 'bench/cost'));
  const upRatio = up.b / up.a;
  failed ||= upRatio > 1.1;
  say(
    `hook, server up (median of ${runs} each, interleaved): local ${up.a.toFixed(1)} ms, s3 ${up.b.toFixed(1)} ms, ratio ${upRatio.toFixed(2)} (bar <= 1.1)`,
  );

  // 2. Hook cost, server down.
  const downDir = s3Project(`http://127.0.0.1:${await closedPort()}`, 'bench/down');
  const down = await compare(local, downDir);
  const downRatio = down.b / down.a;
  failed ||= downRatio > 1.1;
  say(
    `hook, server down (median of ${runs} each, interleaved): local ${down.a.toFixed(1)} ms, s3 ${down.b.toFixed(1)} ms, ratio ${downRatio.toFixed(2)} (bar <= 1.1); ${outboxSize(downDir)} events wait in its outbox`,
  );
  // Its drainer rightly waits for the server until its lifetime ends; end it here so it is not counted later.
  stop(runbookProcesses(downDir));

  // 3. Hook exit to object listed, at 10 events a second.
  const rateDir = s3Project(endpoint, 'bench/rate');
  const count = rateSeconds * 10;
  const exits = new Map();
  const seen = new Map();
  const started = Date.now();
  const poll = async () => {
    for (const key of await listKeys(endpoint, 'bench/rate')) {
      const session = /\/sessions\/([^/]+)\/events\//.exec(key)?.[1];
      if (session && !seen.has(session)) seen.set(session, Date.now());
    }
    return seen.size >= count;
  };
  const polling = (async () => {
    while (seen.size < count && Date.now() - started < (rateSeconds + 60) * 1000) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const hooks = [];
  for (let i = 0; i < count; i++) {
    const due = started + i * 100;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    hooks.push(hook(rateDir, `rate-${i}`, i).then((r) => exits.set(`rate-${i}`, r.exitedAt)));
  }
  await Promise.all(hooks);
  await polling;
  const delays = [...exits].map(([session, exit]) => (seen.get(session) ?? Number.POSITIVE_INFINITY) - exit);
  const p95 = percentile(delays, 95);
  failed ||= !(p95 <= 5_000);
  say(
    `delivery at 10 events/s for ${rateSeconds} s: ${seen.size}/${count} objects; hook exit to object listed p50 ${percentile(delays, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (bar p95 <= 5000 ms)`,
  );

  // 4. Storm, then nothing: what is left running 30 s later?
  const stormDir = s3Project(endpoint, 'bench/storm');
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < stormEvents) {
        const i = next++;
        await hook(stormDir, `storm-${i % 20}`, i);
      }
    }),
  );
  const stormEnd = Date.now();
  await until(async () => (await listKeys(endpoint, 'bench/storm')).length >= stormEvents, AFTER_STORM_MS);
  const drained = Date.now() - stormEnd;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, stormEnd + AFTER_STORM_MS - Date.now())));
  const alive = runbookProcesses();
  const stored = await listKeys(endpoint, 'bench/storm');
  failed ||= alive.length > 0 || stored.length !== stormEvents;
  for (const pid of alive) {
    let args = '';
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      // exited meanwhile
    }
    say(`  still running: ${pid} ${args}`);
  }
  say(
    `storm of ${stormEvents} hooks (50 at a time): ${stored.length} objects (${new Set(stored).size} distinct), all stored ${(drained / 1000).toFixed(1)} s after the last hook; runbook processes alive 30 s after it: ${alive.length} (bar 0)`,
  );

  if (!quick) {
    // 5a. upload: inline, for its documented cost.
    const inline = await compare(local, s3Project(endpoint, 'bench/inline', ['upload: inline']));
    say(
      `hook with upload: inline (median of ${runs} each, interleaved): local ${inline.a.toFixed(1)} ms, s3 inline ${inline.b.toFixed(1)} ms, ratio ${(inline.b / inline.a).toFixed(2)}`,
    );

    // 5b. sync throughput for events waiting in the outbox.
    const syncDir = s3Project(endpoint, 'bench/sync', ['outbox:', '  background: false']);
    const outbox = core.openOutbox({ dir: path.join(syncDir, '.runbook/hooks/claude/outbox'), fsync: false });
    for (let i = 0; i < spooled; i++) {
      outbox.put(
        core.createRecord({
          sessionId: `bench-sync-${i % 10}`,
          eventName: 'PostToolUse',
          cwd: '/srv/payments',
          payload: { seq: i, stdout: 'x'.repeat(2000) },
        }),
      );
    }
    const sync = await runCli(syncDir, ['integrations', 'claude', 'sync', '--json']);
    if (sync.status !== 0) throw new Error(`sync exited ${sync.status}: ${sync.stderr}`);
    const summary = JSON.parse(sync.stdout);
    const synced = (await listKeys(endpoint, 'bench/sync')).length;
    if (summary.sent !== spooled || synced !== spooled)
      throw new Error(`sync sent ${summary.sent}, bucket holds ${synced}; expected ${spooled}`);
    say(
      `sync, ${spooled} events waiting: ${(sync.ms / 1000).toFixed(2)} s for the whole process = ${Math.round(spooled / (sync.ms / 1000))} events/s`,
    );
  }
  console.log(lines.join('\n'));
  if (failed) process.exitCode = 1;
} finally {
  stop(dirs.flatMap((dir) => runbookProcesses(dir)));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await app.close();
}
