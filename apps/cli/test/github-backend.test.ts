/**
 * `backend: github` through the real CLI: hooks in three project directories ("machines") at once, `sync` on
 * all three at once, and a server that cannot be reached. The backend is a package found in `~/.runbook/backends`
 * (as a user installs it), the server is git's own `git http-backend` on 127.0.0.1 behind a token check.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect } from '@runbook/storage-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGitHubBackend } from '../../../packages/storage-github/src/index.js';
import { startGitServer, type GitServer } from '../../../packages/storage-github/test/helpers/git-server.mjs';
import { hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

const TOKEN = 'ghp_cli0000000000000000000000000000000000';
const PACKAGE = fileURLToPath(new URL('../../../packages/storage-github', import.meta.url));
let server: GitServer;
let home: string;
const projects: TempProject[] = [];

beforeAll(async () => {
  server = await startGitServer({ token: TOKEN });
  home = mkdtempSync(path.join(tmpdir(), 'runbook-github-home-'));
  const scope = path.join(home, '.runbook', 'backends', 'node_modules', '@runbook');
  mkdirSync(scope, { recursive: true });
  symlinkSync(PACKAGE, path.join(scope, 'storage-github'));
});
afterAll(async () => {
  for (const p of projects) p.cleanup();
  rmSync(home, { recursive: true, force: true });
  await server?.close();
});

function machine(repository: string): TempProject {
  const p = tempProject('runbook-github-machine-');
  projects.push(p);
  p.config(
    `integrations:\n  claude:\n    sessionStorage:\n      backend: github\n      mirrorLocal: false\n      outbox:\n        background: false\n      github:\n        repository: ${repository}\n        token: \${GITHUB_TOKEN}\n`,
  );
  return p;
}

const env = () => ({ HOME: home, GITHUB_TOKEN: TOKEN });

/** `count` hooks in `p`, `parallel` at a time (as Claude Code runs hooks of parallel tool calls). */
async function hooks(p: TempProject, count: number, parallel: number, event: (i: number) => Record<string, unknown>) {
  const results = [];
  for (let i = 0; i < count; i += parallel) {
    results.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(parallel, count - i) }, (_, j) => runHook(p.dir, event(i + j), [], env())),
      )),
    );
  }
  return results;
}

async function pending(p: TempProject): Promise<number> {
  const status = await runCli(['integrations', 'claude', 'status', '--json'], { cwd: p.dir, env: env() });
  return (JSON.parse(status.stdout) as { outbox: { pending: number } }).outbox.pending;
}

describe('backend: github through the CLI', () => {
  test('three machines send 100 events each at once; after sync on each, all 300 read back once', async () => {
    const url = server.createRepo('three-machines');
    const machines = ['laptop', 'ci', 'desktop'].map((name) => ({ name, p: machine(url) }));
    const sessionOf = (name: string, i: number) => (i % 2 === 0 ? 'incident-4711' : `${name}-session`);
    // Every event through the real hook, four at a time on each machine (as parallel tool calls run them).
    const results = await Promise.all(
      machines.map(({ name, p }) =>
        hooks(p, 100, 4, (i) =>
          hookEvent(sessionOf(name, i), 'PostToolUse', {
            tool_name: 'Bash',
            tool_use_id: `${name}-${i}`,
            tool_input: { command: `echo ${name} ${i}` },
          }),
        ),
      ),
    );
    for (const result of results.flat()) expect(result).toMatchObject({ code: 0, stdout: '' });
    for (const { p } of machines) expect(await pending(p)).toBe(100);

    const synced = await Promise.all(
      machines.map(({ p }) => runCli(['integrations', 'claude', 'sync'], { cwd: p.dir, env: env() })),
    );
    for (const result of synced) expect(result.code, result.stderr).toBe(0);
    for (const { p } of machines) expect(await pending(p)).toBe(0);

    const reader = createGitHubBackend({
      remoteUrl: url,
      repository: 'three-machines',
      token: TOKEN,
      branch: 'runbook-sessions',
      path: 'sessions',
      apiUrl: 'https://api.github.com',
      maxRateLimitWaitMs: 60_000,
      cacheDir: path.join(home, 'reader-cache'),
      env: { PATH: process.env.PATH },
    });
    const ids = ['incident-4711', ...machines.map(({ name }) => `${name}-session`)];
    const records = (await Promise.all(ids.map((id) => collect(reader.read(id))))).flat();
    expect(records).toHaveLength(300);
    const uses = records.map((r) => String(r.payload.tool_use_id));
    expect(new Set(uses).size).toBe(300);
    expect((await collect(reader.read('incident-4711'))).length).toBe(150);
    await reader.close();

    // Any machine lists all four sessions through the CLI.
    const list = await runCli(['integrations', 'claude', 'sessions', 'list', '--json'], {
      cwd: machines[0]!.p.dir,
      env: env(),
    });
    expect(
      (JSON.parse(list.stdout) as Array<{ sessionId: string; eventCount: number }>)
        .map((s) => [s.sessionId, s.eventCount])
        .sort(),
    ).toEqual([
      ['ci-session', 50],
      ['desktop-session', 50],
      ['incident-4711', 150],
      ['laptop-session', 50],
    ]);
  }, 300_000);

  test('an unreachable server: the hook exits 0 and the events wait in the outbox until sync can send them', async () => {
    const p = machine('http://127.0.0.1:9/acme/sessions.git');
    const results = await hooks(p, 3, 3, (i) =>
      hookEvent('offline-session', 'PostToolUse', { tool_use_id: `offline-${i}` }),
    );
    for (const result of results) expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(await pending(p)).toBe(3);
    const failed = await runCli(['integrations', 'claude', 'sync'], { cwd: p.dir, env: env() });
    expect(failed.code).not.toBe(0);
    expect(await pending(p)).toBe(3);

    // The server is back (here: the right address); nothing was lost.
    const url = server.createRepo('came-back');
    p.config(
      `integrations:\n  claude:\n    sessionStorage:\n      backend: github\n      mirrorLocal: false\n      outbox:\n        background: false\n      github:\n        repository: ${url}\n        token: \${GITHUB_TOKEN}\n`,
    );
    const sent = await runCli(['integrations', 'claude', 'sync'], { cwd: p.dir, env: env() });
    expect(sent.code, sent.stderr).toBe(0);
    expect(await pending(p)).toBe(0);
    const show = await runCli(['integrations', 'claude', 'sessions', 'list', '--json'], { cwd: p.dir, env: env() });
    expect(JSON.parse(show.stdout)).toMatchObject([{ sessionId: 'offline-session', eventCount: 3 }]);
  }, 120_000);
});
