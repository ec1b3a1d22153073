/**
 * Five minutes to adoption, as a platform engineer does it: the packed CLI installed globally on a
 * fresh prefix without network, `enable`, three hook events delivered the way Claude Code delivers
 * them (the command from settings.json, run by a shell, the event on stdin), `sessions list`,
 * `doctor`, then `disable` leaving the user's settings as they were.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, hookEvent } from './helpers/cli.js';

const CLI_DIR = fileURLToPath(new URL('../', import.meta.url));
const ROOT = path.resolve(CLI_DIR, '../..');
const { version } = JSON.parse(readFileSync(path.join(CLI_DIR, 'package.json'), 'utf8')) as { version: string };

let work: string;
let prefix: string;
let home: string;
let project: string;
let env: NodeJS.ProcessEnv;

/** The environment of a developer's shell with only the global install on PATH (plus node and the basics). */
function shellEnv(): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const key of ['LANG', 'TERM', 'TMPDIR']) if (process.env[key]) base[key] = process.env[key];
  return {
    ...base,
    HOME: home,
    PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
    NO_COLOR: '1',
  };
}

/** Run the globally installed `runbook`, found on PATH like a user types it. */
function runbook(args: string[], input = '') {
  return spawnSync('runbook', args, { cwd: project, env, input, encoding: 'utf8', timeout: 60_000 });
}

/** Deliver one event as Claude Code does: the configured command through a shell, JSON on stdin, CLAUDE_PROJECT_DIR set. */
function deliver(command: string, event: object): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: project, env: { ...env, CLAUDE_PROJECT_DIR: project } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(JSON.stringify(event));
  });
}

const USER_SETTINGS = `{
  "permissions": {
    "allow": ["Bash(kubectl get:*)"]
  },
  "hooks": {
    "PostToolUse": [
      {
        "matcher": "Edit|Write",
        "hooks": [{ "type": "command", "command": "npx prettier --write \\"$CLAUDE_FILE_PATHS\\"" }]
      }
    ]
  },
  "env": { "DISABLE_TELEMETRY": "1" }
}
`;

beforeAll(() => {
  if (!existsSync(CLI)) spawnSync('pnpm', ['--filter', '@runbook/cli', 'build'], { cwd: ROOT, stdio: 'ignore' });
  work = mkdtempSync(path.join(tmpdir(), 'runbook-adoption-'));
  prefix = path.join(work, 'prefix');
  home = path.join(work, 'home');
  project = path.join(work, 'payments-platform');
  for (const dir of [prefix, home, path.join(project, '.claude')]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(project, '.claude', 'settings.json'), USER_SETTINGS);

  const packed = spawnSync('pnpm', ['pack', '--pack-destination', work], { cwd: CLI_DIR, encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = path.join(work, `runbook-cli-${version}.tgz`);
  // A fresh prefix and an empty npm cache: nothing can come from anywhere but the tarball.
  const installed = spawnSync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--cache',
      path.join(work, 'npm-cache'),
      '--no-audit',
      '--no-fund',
      tarball,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
      timeout: 120_000,
    },
  );
  expect(installed.status, installed.stderr).toBe(0);
  env = shellEnv();
}, 180_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the packed CLI installs globally offline and prints its version', () => {
  expect(existsSync(path.join(prefix, 'bin', 'runbook'))).toBe(true);
  const result = runbook(['--version']);
  expect(result.status).toBe(0);
  expect(result.stdout.trim()).toBe(version);
  // Everything is bundled: the install brought no dependencies along.
  expect(existsSync(path.join(prefix, 'lib', 'node_modules', '@runbook', 'cli', 'node_modules'))).toBe(false);
});

test('enable → three hook events → sessions list → doctor → disable', async () => {
  const enabled = runbook(['integrations', 'claude', 'enable']);
  expect(enabled.status, enabled.stderr).toBe(0);
  expect(enabled.stderr).toBe('');
  const settings = JSON.parse(readFileSync(path.join(project, '.claude', 'settings.json'), 'utf8')) as {
    hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>>;
  };
  const commandFor = (event: string) =>
    settings.hooks[event]!.flatMap((g) => g.hooks).find((h) => h.command.includes('integrations claude hook'))!.command;
  expect(commandFor('UserPromptSubmit')).toBe('runbook integrations claude hook');

  const sessionId = '5b0f7c1e-0d4a-4d8e-9c61-2f3a4b5c6d7e';
  for (const [event, extra] of [
    ['SessionStart', { source: 'startup' }],
    ['UserPromptSubmit', { prompt: 'checkout p99 doubled since the 14:00 deploy; find out why' }],
    ['Stop', { stop_hook_active: false }],
  ] as const) {
    const delivered = await deliver(commandFor(event), hookEvent(sessionId, event, extra));
    expect(delivered, event).toEqual({ code: 0, stdout: '', stderr: '' });
  }

  const list = runbook(['integrations', 'claude', 'sessions', 'list', '--json']);
  expect(list.status, list.stderr).toBe(0);
  expect(JSON.parse(list.stdout)).toMatchObject([
    { sessionId, eventCount: 3, firstPrompt: 'checkout p99 doubled since the 14:00 deploy; find out why' },
  ]);
  const table = runbook(['integrations', 'claude', 'sessions', 'list']);
  expect(table.stdout).toContain(sessionId);

  const doctor = runbook(['integrations', 'claude', 'doctor']);
  expect(doctor.stdout).toContain('All checks passed.');
  expect(doctor.status).toBe(0);

  const disabled = runbook(['integrations', 'claude', 'disable']);
  expect(disabled.status, disabled.stderr).toBe(0);
  expect(readFileSync(path.join(project, '.claude', 'settings.json'), 'utf8')).toBe(USER_SETTINGS);
  const after = runbook(['integrations', 'claude', 'doctor']);
  expect(after.status).toBe(1);
  expect(after.stdout).toMatch(/^FAIL {2}hook /m);
});

test('every command has --help with examples and the exit codes', () => {
  for (const command of [
    ['enable'],
    ['disable'],
    ['status'],
    ['doctor'],
    ['prune'],
    ['sessions', 'list'],
    ['sessions', 'show'],
    ['sessions', 'export'],
  ]) {
    const help = runbook(['integrations', 'claude', ...command, '--help']);
    expect(help.status, command.join(' ')).toBe(0);
    expect(help.stdout, command.join(' ')).toContain('Examples:');
    expect(help.stdout, command.join(' ')).toContain('Exit codes:');
  }
});
