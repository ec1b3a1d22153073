#!/usr/bin/env node
// Times the whole `runbook integrations claude hook` process per event against `node -e ''`, interleaved
// in the same run so machine load affects both alike. Prints both medians and their ratio (bar: <= 1.5).
//
//   pnpm bench:hook [--runs 40] [--config] [--payload-kb 2]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../apps/cli/dist/runbook.js');
const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const next = argv[i + 1];
  return next === undefined || next.startsWith('--') ? true : next;
};
const runs = Number(flag('runs', 40));
const withConfig = flag('config', false) === true;
const payloadKb = Number(flag('payload-kb', 2));

const project = mkdtempSync(path.join(tmpdir(), 'runbook-bench-hook-'));
mkdirSync(path.join(project, '.runbook'), { recursive: true });
if (withConfig) {
  writeFileSync(path.join(project, '.runbook', 'config.yaml'), [
    'llm:',
    '  provider: anthropic',
    'integrations:',
    '  claude:',
    '    sessionStorage:',
    '      backend: local',
    '      localBaseDir: .runbook/hooks/claude',
    '',
  ].join('\n'));
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
  tool_response: { stdout: 'level=error msg="upstream timeout" route=/charge\n'.repeat(Math.max(1, Math.round((payloadKb * 1024) / 48))), stderr: '', interrupted: false },
});

function time(cmd, args, input) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { input, cwd: project, env: { ...process.env, CLAUDE_PROJECT_DIR: project } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  if (result.stdout.length > 0) throw new Error(`hook wrote to stdout: ${result.stdout}`);
  if (result.stderr.length > 0) throw new Error(`${args.join(' ')} reported: ${result.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

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
const stored = readFileSync(path.join(project, '.runbook/hooks/claude/sessions/3f2b7c1e-0d4a-4c7e-9b1a-6a2f0e9d8c11/events.ndjson'), 'utf8').split('\n').filter(Boolean).length;
if (stored !== runs + 3) throw new Error(`expected ${runs + 3} stored events, found ${stored}`);
rmSync(project, { recursive: true, force: true });
const b = median(bare);
const h = median(hook);
console.log(`payload: ${(Buffer.byteLength(event) / 1024).toFixed(1)} KB${withConfig ? ', with .runbook/config.yaml' : ', no config file'}; runs: ${runs}`);
console.log(`node -e '' median: ${b.toFixed(1)} ms`);
console.log(`hook        median: ${h.toFixed(1)} ms`);
console.log(`ratio: ${(h / b).toFixed(2)} (bar <= 1.5)`);
