import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createRecord } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { runCli, tempProject, type TempProject } from './helpers/cli.js';

const DAY = 86_400_000;
let project: TempProject;
const baseDir = () => path.join(project.dir, '.runbook/hooks/claude');
const sessionDir = (id: string) => path.join(baseDir(), 'sessions', id);
/** The user's home for these runs: where backend packages are installed (`~/.runbook/backends`). */
const home = () => path.join(project.dir, 'home');

/** A session whose events happened `ages` days ago. */
async function seed(sessionId: string, ...ages: number[]): Promise<void> {
  const backend = createLocalBackend({ baseDir: baseDir() });
  for (const age of ages) {
    await backend.append(
      createRecord({
        sessionId,
        eventName: 'PostToolUse',
        payload: { session_id: sessionId },
        observedAt: new Date(Date.now() - age * DAY),
      }),
    );
  }
}

function prune(args: string[]) {
  return runCli(['integrations', 'claude', 'prune', ...args], { cwd: project.dir, env: { HOME: home() } });
}

beforeEach(async () => {
  project = tempProject('runbook-prune-');
  await seed('ancient', 90, 89);
  await seed('stale', 40, 35, 31);
  // Started long ago but still active: its last event is what counts.
  await seed('long-running', 60, 1);
  await seed('fresh', 2, 0);
});
afterEach(() => project.cleanup());

test('--dry-run lists what would go and deletes nothing', async () => {
  const result = await prune(['--older-than', '30d', '--dry-run']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^SESSION\s+LAST SEEN\s+EVENTS\n/);
  expect(result.stdout).toContain('Would delete 2 sessions (5 events) last active more than 30d ago');
  expect(result.stdout).toMatch(/stale\s+\S+ \S+\s+3\n/);
  expect(result.stdout).not.toContain('long-running');
  for (const id of ['ancient', 'stale', 'long-running', 'fresh']) expect(existsSync(sessionDir(id)), id).toBe(true);
});

test('deletes exactly the sessions last active before the cutoff', async () => {
  const result = await prune(['--older-than', '30d', '--json']);
  expect(result.code).toBe(0);
  const parsed = JSON.parse(result.stdout) as {
    dryRun: boolean;
    sessions: Array<{ sessionId: string; eventCount: number }>;
    failed: unknown[];
  };
  expect(parsed.dryRun).toBe(false);
  expect(parsed.sessions.map((s) => s.sessionId).sort()).toEqual(['ancient', 'stale']);
  expect(parsed.failed).toEqual([]);
  expect(existsSync(sessionDir('ancient'))).toBe(false);
  expect(existsSync(sessionDir('stale'))).toBe(false);
  expect(existsSync(sessionDir('long-running'))).toBe(true);
  expect(existsSync(sessionDir('fresh'))).toBe(true);
  const list = JSON.parse(
    (await runCli(['integrations', 'claude', 'sessions', 'list', '--json'], { cwd: project.dir })).stdout,
  ) as Array<{ sessionId: string }>;
  expect(list.map((s) => s.sessionId)).toEqual(['fresh', 'long-running']);
  const again = await prune(['--older-than', '30d']);
  expect(again.stdout).toContain('Deleted 0 sessions');
});

test('needs --older-than as an age', async () => {
  const missing = await prune([]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("required option '--older-than <age>'");
  const bad = await prune(['--older-than', 'a month']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('expected an age such as 30d');
  expect(existsSync(sessionDir('ancient'))).toBe(true);
});

test('a backend that cannot delete is refused with a clear error; a short backend name finds its package', async () => {
  // A backend package in ~/.runbook/backends, found from `backend: readonly` as runbook-storage-readonly.
  const pkgDir = path.join(home(), '.runbook', 'backends', 'node_modules', 'runbook-storage-readonly');
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(
    path.join(pkgDir, 'package.json'),
    JSON.stringify({ name: 'runbook-storage-readonly', type: 'module', exports: { '.': { import: './index.js' } } }),
  );
  writeFileSync(
    path.join(pkgDir, 'index.js'),
    `export default { name: 'readonly', create: () => ({
      name: 'readonly',
      listDetails: true,
      async append() { return 'stored'; },
      async *read() {},
      async *list() { yield { sessionId: 'kept', eventCount: 1, firstSeen: '2020-01-01T00:00:00.000Z', lastSeen: '2020-01-01T00:00:00.000Z' }; },
    }) };\n`,
  );
  project.config('integrations:\n  claude:\n    sessionStorage:\n      backend: readonly\n      mirrorLocal: false\n');
  const dry = await prune(['--older-than', '30d', '--dry-run']);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('Would delete 1 sessions (1 events)');
  const result = await prune(['--older-than', '30d']);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('backend readonly cannot delete sessions');
});
