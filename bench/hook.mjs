#!/usr/bin/env node
// Times the whole `runbook integrations claude hook` process per event against `node -e ''`, interleaved
// in the same run so machine load affects both alike. Prints both medians and their ratio (bar: <= 1.5).
// --secrets puts an AWS key pair, a GitHub token and a PEM key into the payload, checks none is stored, and
// also times redaction of the payload in-process (needs packages/hook-ingest built).
// --recall times a UserPromptSubmit with recall enabled and a full recall digest (400 entries) against the
// same event with recall off (bar: at most 100 ms more), and checks what recall printed.
//
//   pnpm bench:hook [--runs 40] [--config] [--payload-kb 2] [--secrets] [--recall]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, flag, median } from './lib.mjs';

const runs = Number(flag('runs', 40));
const withConfig = flag('config', false) === true;
const payloadKb = Number(flag('payload-kb', 2));
const withSecrets = flag('secrets', false) === true;
const withRecall = flag('recall', false) === true;

// Fake credentials, assembled here so no file holds one whole.
const pick = (alphabet, n, seed) =>
  Array.from({ length: n }, (_, i) => alphabet[(i * 7919 + seed * 104729) % alphabet.length]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const secrets = {
  awsKeyId: ['AK', 'IA', pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 1)].join(''),
  awsSecret: ['Zx9', 'Qw', pick(ALNUM, 29, 2), '/', pick(ALNUM, 5, 3)].join(''),
  github: ['gh', 'p_', pick(ALNUM, 36, 4)].join(''),
  pem: [
    '-----BEGIN RSA ',
    'PRIVATE KEY-----\n',
    Array.from({ length: 8 }, (_, i) => pick(`${ALNUM}+/`, 64, 10 + i)).join('\n'),
    '\n-----END RSA ',
    'PRIVATE KEY-----',
  ].join(''),
};
const secretBlock = withSecrets
  ? [
      `[default]`,
      `aws_access_key_id = ${secrets.awsKeyId}`,
      `aws_secret_access_key = ${secrets.awsSecret}`,
      `GITHUB_TOKEN=${secrets.github}`,
      secrets.pem,
      '',
    ].join('\n')
  : '';

const project = mkdtempSync(path.join(tmpdir(), 'runbook-bench-hook-'));
mkdirSync(path.join(project, '.runbook'), { recursive: true });
if (withConfig) {
  writeFileSync(
    path.join(project, '.runbook', 'config.yaml'),
    [
      'llm:',
      '  provider: anthropic',
      'integrations:',
      '  claude:',
      '    sessionStorage:',
      '      backend: local',
      '      localBaseDir: .runbook/hooks/claude',
      '',
    ].join('\n'),
  );
}

const event = JSON.stringify({
  session_id: '3f2b7c1e-0d4a-4c7e-9b1a-6a2f0e9d8c11',
  transcript_path: '/home/dev/.claude/projects/-srv-payments/3f2b7c1e.jsonl',
  cwd: project,
  permission_mode: 'default',
  hook_event_name: 'PostToolUse',
  tool_name: 'Bash',
  tool_use_id: 'toolu_01ABCDEF',
  tool_input: { command: 'kubectl -n payments logs deploy/payments-api --tail=50', description: 'Recent logs' },
  tool_response: {
    stdout:
      secretBlock +
      'level=error msg="upstream timeout" route=/charge\n'.repeat(Math.max(1, Math.round((payloadKb * 1024) / 48))),
    stderr: '',
    interrupted: false,
  },
});

if (withRecall) {
  await benchRecall();
  process.exit(process.exitCode ?? 0);
}

function time(cmd, args, input, dir = project) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { input, cwd: dir, env: { ...process.env, CLAUDE_PROJECT_DIR: dir } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  if (result.stdout.length > 0) throw new Error(`hook wrote to stdout: ${result.stdout}`);
  if (result.stderr.length > 0) throw new Error(`${args.join(' ')} reported: ${result.stderr}`);
  return ms;
}

// Warm the file cache for both.
for (let i = 0; i < 3; i++) {
  time(process.execPath, ['-e', ''], '');
  time(process.execPath, [cli, 'integrations', 'claude', 'hook'], event);
}
const bare = [];
const hook = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(process.execPath, ['-e', ''], ''));
  hook.push(time(process.execPath, [cli, 'integrations', 'claude', 'hook'], event));
}
const storedText = readFileSync(
  path.join(project, '.runbook/hooks/claude/sessions/3f2b7c1e-0d4a-4c7e-9b1a-6a2f0e9d8c11/events.ndjson'),
  'utf8',
);
const stored = storedText.split('\n').filter(Boolean).length;
if (stored !== runs + 3) throw new Error(`expected ${runs + 3} stored events, found ${stored}`);
if (withSecrets) {
  for (const [name, secret] of Object.entries(secrets)) {
    const piece = name === 'pem' ? secret.split('\n')[2] : secret;
    if (storedText.includes(piece)) throw new Error(`the ${name} secret was stored`);
  }
}
rmSync(project, { recursive: true, force: true });
const b = median(bare);
const h = median(hook);
console.log(
  `payload: ${(Buffer.byteLength(event) / 1024).toFixed(1)} KB${withConfig ? ', with .runbook/config.yaml' : ', no config file'}; runs: ${runs}`,
);
console.log(`node -e '' median: ${b.toFixed(1)} ms`);
console.log(`hook        median: ${h.toFixed(1)} ms`);
console.log(`ratio: ${(h / b).toFixed(2)} (bar <= 1.5)`);

if (withSecrets) {
  // Redaction alone, in this process, on the same payload; JSON.parse of it for scale.
  const { createRedactor } = await import(new URL('../packages/hook-ingest/dist/index.js', import.meta.url).href);
  const redact = createRedactor();
  const payload = JSON.parse(event);
  const timeIt = (fn) => {
    for (let i = 0; i < 5; i++) fn();
    const xs = [];
    for (let i = 0; i < 30; i++) {
      const start = process.hrtime.bigint();
      fn();
      xs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return median(xs);
  };
  const { redactions } = redact(payload);
  const redactMs = timeIt(() => redact(payload));
  const parseMs = timeIt(() => JSON.parse(event));
  console.log(
    `redaction (in process) median: ${redactMs.toFixed(2)} ms for ${(Buffer.byteLength(event) / 1024).toFixed(1)} KB; JSON.parse of it: ${parseMs.toFixed(2)} ms; removed ${JSON.stringify(redactions)}`,
  );
}

/** Recall's cost on the hook: the same UserPromptSubmit with recall on (full digest) and off, interleaved. */
async function benchRecall() {
  const on = mkdtempSync(path.join(tmpdir(), 'runbook-bench-recall-'));
  const off = mkdtempSync(path.join(tmpdir(), 'runbook-bench-plain-'));
  mkdirSync(path.join(on, '.runbook/hooks/claude/index'), { recursive: true });
  mkdirSync(path.join(off, '.runbook'), { recursive: true });
  writeFileSync(path.join(on, '.runbook/config.yaml'), 'integrations:\n  claude:\n    recall:\n      enabled: true\n');
  const services = [
    'billing-stripe',
    'checkout-api',
    'ledger-db',
    'auth-proxy',
    'search-indexer',
    'payments-gateway',
    'cart-service',
    'email-worker',
  ];
  const entries = Array.from({ length: 400 }, (_, i) => {
    const svc = services[i % services.length];
    const text = `error: pod ${svc}-7d9f8b6c5d-x2k9p failed: Error: connect ECONNREFUSED 10.0.${i % 250}.7:5432 — fixed by: Edit: deploy/values-${i % 3 ? 'staging' : 'prod'}.yaml then Bash: helm upgrade ${svc} ./charts/${svc} -f deploy/values-staging.yaml (case ${i})`;
    return {
      source: `session ${String(i).padStart(8, '0')}-0000-4000-8000-000000000000 (2026-11-${String(1 + (i % 28)).padStart(2, '0')})`,
      text,
      words: [...new Set(text.toLowerCase().match(/[a-z0-9_]{3,}/g))],
      time: new Date(Date.UTC(2026, 10, 1 + (i % 28))).toISOString(),
    };
  });
  writeFileSync(path.join(on, '.runbook/hooks/claude/index/recall.json'), JSON.stringify({ format: 1, entries }));
  const prompt = (dir) =>
    JSON.stringify({
      session_id: '5d1c0a7e-0000-4000-8000-00000000beef',
      transcript_path: '/tmp/t.jsonl',
      cwd: dir,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'billing-stripe rollout fails with ECONNREFUSED on ledger-db again after the values-staging.yaml change',
    });
  const run = (dir) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [cli, 'integrations', 'claude', 'hook'], {
      input: prompt(dir),
      cwd: dir,
      env: { ...process.env, CLAUDE_PROJECT_DIR: dir },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0 || result.stderr.length > 0)
      throw new Error(`hook exited ${result.status}: ${result.stderr}`);
    return { ms, stdout: result.stdout.toString('utf8') };
  };
  for (let i = 0; i < 3; i++) {
    run(on);
    run(off);
  }
  const withRecallMs = [];
  const plainMs = [];
  let printed = '';
  let printedRuns = 0;
  for (let i = 0; i < runs; i++) {
    const a = run(on);
    withRecallMs.push(a.ms);
    if (a.stdout) {
      printed = a.stdout;
      printedRuns++;
    }
    const b = run(off);
    if (b.stdout !== '') throw new Error(`hook with recall off wrote to stdout: ${b.stdout}`);
    plainMs.push(b.ms);
  }
  if (!printed) throw new Error('recall printed nothing in any run (over its time budget on this machine?)');
  const context = JSON.parse(printed).hookSpecificOutput.additionalContext;
  if (typeof context !== 'string' || context.length > 2000 || !context.includes('ECONNREFUSED'))
    throw new Error(`unexpected recall output: ${printed}`);
  rmSync(on, { recursive: true, force: true });
  rmSync(off, { recursive: true, force: true });
  const a = median(withRecallMs);
  const b = median(plainMs);
  console.log(`UserPromptSubmit; recall digest: 400 entries; runs: ${runs}`);
  console.log(`hook, recall off median: ${b.toFixed(1)} ms`);
  console.log(
    `hook, recall on  median: ${a.toFixed(1)} ms (printed ${context.length} characters of context in ${printedRuns} of ${runs} runs; the rest gave up at the time budget)`,
  );
  console.log(`recall adds: ${(a - b).toFixed(1)} ms (bar <= 100 ms)`);
  if (a - b > 100) process.exitCode = 1;
}
