import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, hookEvent } from './helpers/cli.js';

// Under the most permissive umask (000), nothing the CLI creates is writable by others: session data,
// the config cache and learn's artifacts are the owner's only (0600 files, 0700 folders), `enable`
// creates ~/.claude 0700.

let work: string;
let project: string;
let home: string;

/** `runbook <args>` in a shell whose umask is 000, like a misconfigured account or container. */
function runUnderUmask000(
  args: string[],
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, CLI, ...args], {
      cwd: project,
      env: { ...process.env, HOME: home, CLAUDE_PROJECT_DIR: project, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function everything(dir: string): Array<{ path: string; mode: number; dir: boolean }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => {
    const full = path.join(e.parentPath, e.name);
    return { path: full, mode: statSync(full).mode & 0o777, dir: e.isDirectory() };
  });
}

const octal = (mode: number) => mode.toString(8).padStart(3, '0');

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'runbook-umask-'));
  project = path.join(work, 'project');
  home = path.join(work, 'home');
  for (const dir of [project, home]) (await import('node:fs')).mkdirSync(dir, { mode: 0o755 });
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(path.join(project, '.runbook'), { mode: 0o755 });
  writeFileSync(
    path.join(project, '.runbook', 'config.yaml'),
    'integrations:\n  claude:\n    sessionStorage:\n      backend: local\n',
    { mode: 0o644 },
  );
  const events = [
    hookEvent('umask-session', 'UserPromptSubmit', { prompt: 'why is the payments queue backed up?' }),
    hookEvent('umask-session', 'PostToolUse', {
      tool_name: 'Bash',
      tool_input: { command: 'kubectl -n payments rollout restart deploy/worker' },
      tool_response: { stdout: 'restarted', exit_code: 0 },
    }),
    hookEvent('umask-session', 'Stop', {}),
  ];
  for (const event of events)
    expect(await runUnderUmask000(['integrations', 'claude', 'hook'], JSON.stringify(event))).toMatchObject({
      code: 0,
      stderr: '',
    });
  const learned = await runUnderUmask000([
    'integrations',
    'claude',
    'learn',
    'umask-session',
    '--apply-runbook-updates',
  ]);
  expect(learned.code, learned.stderr).toBe(0);
  const enabled = await runUnderUmask000(['integrations', 'claude', 'enable', '--scope', 'user']);
  expect(enabled.code, enabled.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('nothing created is writable by group or others', () => {
  const loose = [...everything(project), ...everything(home)]
    .filter((e) => e.mode & 0o022)
    .map((e) => `${octal(e.mode)} ${path.relative(work, e.path)}`);
  expect(loose).toEqual([]);
});

test("session data, the config cache and learn artifacts are the owner's only", () => {
  const privateRoots = ['.runbook/hooks', '.runbook/cache', '.runbook/learning', '.runbook/runbooks'].map((p) =>
    path.join(project, p),
  );
  const found = everything(project).filter((e) =>
    privateRoots.some((root) => e.path === root || e.path.startsWith(root + path.sep)),
  );
  expect(
    found.filter((e) => e.path.startsWith(path.join(project, '.runbook/learning')) && !e.dir).length,
  ).toBeGreaterThan(2);
  expect(
    found.filter((e) => e.path.startsWith(path.join(project, '.runbook/runbooks')) && !e.dir).length,
  ).toBeGreaterThan(0);
  const wrong = found
    .filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))
    .map((e) => `${octal(e.mode)} ${path.relative(project, e.path)}`);
  expect(wrong).toEqual([]);
});

test('enable creates ~/.claude 0700', () => {
  expect(octal(statSync(path.join(home, '.claude')).mode & 0o777)).toBe('700');
  expect(octal(statSync(path.join(home, '.claude', 'settings.json')).mode & 0o777)).toBe('644');
});
