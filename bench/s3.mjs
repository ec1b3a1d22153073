#!/usr/bin/env node
// S3 backend benchmark against a local S3-compatible server (fauxqs on 127.0.0.1):
//   1. 500 events appended to one session, each through a real `runbook integrations claude hook`
//      process; prints the median wall time of the first 50 and of the last 50 and their ratio
//      (bar: <= 1.2, i.e. the cost of an event does not grow with the session);
//   2. 1,000 events waiting in the outbox sent by `runbook integrations claude sync`; prints events/s.
//
//   pnpm bench:s3 [--events 500] [--window 50] [--spooled 1000] [--cli apps/cli/dist/runbook.cjs]
// Needs the built CLI (pnpm --filter @runbook/cli build) and storage-core (pnpm --filter @runbook/storage-core build).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, flag, median, root } from './lib.mjs';

// fauxqs is a dev dependency of storage-s3; its package exports only an ESM entry, loaded by path.
const { buildApp } = await import(pathToFileURL(path.join(root, 'packages/storage-s3/node_modules/fauxqs/dist/app.js')).href);
const core = await import(pathToFileURL(path.join(root, 'packages/storage-core/dist/index.js')).href);

const events = Number(flag('events', 500));
const window = Number(flag('window', 50));
const spooled = Number(flag('spooled', 1000));
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


function project(endpoint, prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-bench-s3-'));
  mkdirSync(path.join(dir, '.runbook'), { recursive: true });
  writeFileSync(
    path.join(dir, '.runbook', 'config.yaml'),
    [
      'integrations:',
      '  claude:',
      '    sessionStorage:',
      '      backend: s3',
      '      mirrorLocal: true',
      '      s3:',
      `        bucket: ${bucket}`,
      `        prefix: ${prefix}`,
      `        endpoint: ${endpoint}`,
      '        forcePathStyle: true',
      '      outbox:',
      '        background: false',
      '',
    ].join('\n'),
  );
  return dir;
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
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms });
    });
    child.stdin.end(input);
  });
}

async function countObjects(endpoint, prefix) {
  let count = 0;
  let token;
  do {
    const url = new URL(`${endpoint}/${bucket}`);
    url.searchParams.set('list-type', '2');
    url.searchParams.set('prefix', `${prefix}/`);
    if (token) url.searchParams.set('continuation-token', token);
    const xml = await (await fetch(url)).text();
    count += (xml.match(/<Key>/g) ?? []).length;
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1] : undefined;
  } while (token);
  return count;
}

const app = buildApp({ logger: false });
const endpoint = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
const created = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
if (!created.ok) throw new Error(`cannot create bucket: HTTP ${created.status}`);
const dirs = [];

try {
  // 1. The cost of one event through the hook, early and late in a long session.
  const hookDir = project(endpoint, 'bench/hook');
  dirs.push(hookDir);
  const times = [];
  for (let i = 0; i < events; i++) {
    const event = JSON.stringify({
      session_id: 'bench-long-session',
      transcript_path: '/home/dev/.claude/projects/-srv-payments/bench.jsonl',
      cwd: '/srv/payments',
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_use_id: `toolu_${i}`,
      tool_input: { command: 'kubectl -n payments logs deploy/payments-api --tail=50' },
      tool_response: { stdout: 'level=error msg="upstream timeout" route=/charge\n'.repeat(40), stderr: '', interrupted: false },
    });
    const result = await runCli(hookDir, ['integrations', 'claude', 'hook'], event);
    if (result.status !== 0 || result.stdout.length > 0) throw new Error(`hook ${i} exited ${result.status}: ${result.stderr}`);
    times.push(result.ms);
    if ((i + 1) % 100 === 0) process.stderr.write(`hook: ${i + 1}/${events}\n`);
  }
  const leftInOutbox = outboxSize(hookDir);
  if (leftInOutbox > 0) await runCli(hookDir, ['integrations', 'claude', 'sync']);
  const storedObjects = await countObjects(endpoint, 'bench/hook');
  if (storedObjects !== events) throw new Error(`expected ${events} stored objects, found ${storedObjects}`);
  const first = median(times.slice(0, window));
  const last = median(times.slice(-window));

  // 2. sync throughput for events waiting in the outbox.
  const syncDir = project(endpoint, 'bench/sync');
  dirs.push(syncDir);
  const outbox = core.openOutbox({ dir: path.join(syncDir, '.runbook/hooks/claude/outbox'), fsync: false });
  for (let i = 0; i < spooled; i++) {
    outbox.put(core.createRecord({ sessionId: `bench-sync-${i % 10}`, eventName: 'PostToolUse', cwd: '/srv/payments', payload: { seq: i, stdout: 'x'.repeat(2000) } }));
  }
  const sync = await runCli(syncDir, ['integrations', 'claude', 'sync', '--json']);
  if (sync.status !== 0) throw new Error(`sync exited ${sync.status}: ${sync.stderr}`);
  const summary = JSON.parse(sync.stdout);
  const synced = await countObjects(endpoint, 'bench/sync');
  if (summary.sent !== spooled || synced !== spooled) throw new Error(`sync sent ${summary.sent}, bucket holds ${synced}; expected ${spooled}`);

  console.log(`hook, ${events} events to one session (wall time per hook process, median):`);
  console.log(`  first ${window}: ${first.toFixed(1)} ms   last ${window}: ${last.toFixed(1)} ms   ratio last/first: ${(last / first).toFixed(2)} (bar <= 1.2)`);
  console.log(`  uploads that overran the hook budget and waited in the outbox: ${leftInOutbox}`);
  console.log(`sync, ${spooled} events waiting: ${(sync.ms / 1000).toFixed(2)} s for the whole process = ${Math.round(spooled / (sync.ms / 1000))} events/s`);
  if (last / first > 1.2) process.exitCode = 1;
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await app.close();
}
