import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

const projects: TempProject[] = [];
function project(): TempProject {
  const p = tempProject();
  projects.push(p);
  return p;
}
afterEach(() => {
  while (projects.length) projects.pop()!.cleanup();
});

function storedLines(dir: string, sessionId: string, base = '.runbook/hooks/claude'): Record<string, unknown>[] {
  const file = path.join(dir, base, 'sessions', sessionId, 'events.ndjson');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

describe('runbook integrations claude hook', () => {
  test('stores the event under .runbook/hooks/claude, printing nothing', async () => {
    const p = project();
    const event = hookEvent('s-1', 'PreToolUse', {
      tool_name: 'Bash',
      tool_input: { command: 'kubectl get pods -n payments' },
      tool_use_id: 'toolu_1',
    });
    const result = await runHook(p.dir, event);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const [record] = storedLines(p.dir, 's-1');
    expect(record).toMatchObject({
      schemaVersion: 1,
      sessionId: 's-1',
      eventName: 'PreToolUse',
      cwd: '/srv/app',
      payload: event,
    });
    expect(record?.eventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  test.each([
    ['empty stdin', '', 'empty input'],
    ['invalid JSON', '{"session_id": "s-1",', 'not valid JSON'],
    ['a JSON array', '[{"session_id":"s-1"}]', 'must be a JSON object'],
    ['no session_id', JSON.stringify({ hook_event_name: 'Stop' }), 'no session_id'],
    ['no hook_event_name', JSON.stringify({ session_id: 's-1' }), 'no hook_event_name'],
  ])('%s: exit 0, one stderr line, nothing stored', async (_name, input, message) => {
    const p = project();
    const result = await runHook(p.dir, input);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^runbook: /);
    expect(result.stderr).toContain(message);
    expect(existsSync(path.join(p.dir, '.runbook/hooks'))).toBe(false);
  });

  test('resolves the project from --project-dir over CLAUDE_PROJECT_DIR', async () => {
    const a = project();
    const b = project();
    await runHook(a.dir, hookEvent('s-flag', 'Stop'), ['--project-dir', b.dir]);
    expect(storedLines(a.dir, 's-flag')).toHaveLength(0);
    expect(storedLines(b.dir, 's-flag')).toHaveLength(1);
  });

  test('without CLAUDE_PROJECT_DIR, stores in the nearest ancestor holding .runbook/', async () => {
    const p = project();
    const nested = path.join(p.dir, 'services', 'api');
    mkdirSync(nested, { recursive: true });
    const result = await runCli(['integrations', 'claude', 'hook'], {
      cwd: nested,
      input: JSON.stringify(hookEvent('s-nearest', 'Stop')),
    });
    expect(result.code).toBe(0);
    expect(storedLines(p.dir, 's-nearest')).toHaveLength(1);
  });

  test('honours localBaseDir from .runbook/config.yaml with ${ENV} interpolation', async () => {
    const p = project();
    p.config(
      'llm:\n  provider: anthropic\nintegrations:\n  claude:\n    sessionStorage:\n      backend: local\n      localBaseDir: ${SESSIONS_DIR:-fallback}/claude\n',
    );
    await runHook(p.dir, hookEvent('s-cfg', 'Stop'), [], { SESSIONS_DIR: 'var/agent-sessions' });
    expect(storedLines(p.dir, 's-cfg', 'var/agent-sessions/claude')).toHaveLength(1);
    await runHook(p.dir, hookEvent('s-cfg', 'Stop'));
    expect(storedLines(p.dir, 's-cfg', 'fallback/claude')).toHaveLength(1);
  });

  test('a broken config is reported and the event is still kept in the default directory', async () => {
    const p = project();
    p.config('integrations:\n  claude:\n    sessionStorage:\n      mirrorLocal: "yes please"\n');
    const result = await runHook(p.dir, hookEvent('s-broken', 'Stop'));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('integrations.claude.sessionStorage.mirrorLocal: must be boolean, got string');
    expect(storedLines(p.dir, 's-broken')).toHaveLength(1);
  });

  test('an unknown backend package is named in the error and the event is kept locally', async () => {
    const p = project();
    p.config('integrations:\n  claude:\n    sessionStorage:\n      backend: "@acme/runbook-storage-nowhere"\n');
    const result = await runHook(p.dir, hookEvent('s-nobackend', 'Stop'));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('@acme/runbook-storage-nowhere');
    expect(storedLines(p.dir, 's-nobackend')).toHaveLength(1);
  });

  test('storage trouble: exit 0 with one line naming the problem', async () => {
    const p = project();
    // A file where the sessions directory should be makes every append fail.
    mkdirSync(path.join(p.dir, '.runbook/hooks/claude'), { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(p.dir, '.runbook/hooks/claude/sessions'), 'not a directory');
    const result = await runHook(p.dir, hookEvent('s-fail', 'Stop'));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^runbook: hook: could not store Stop of session s-fail: /);
  });

  test('hostile session ids never write outside the base directory', async () => {
    const p = project();
    for (const id of ['../../escape', '/etc/passwd-x', '..', 'a/../../b', 'nul\u0000byte', 'x'.repeat(1000)]) {
      const result = await runHook(p.dir, hookEvent(id, 'Stop'));
      expect(result.code).toBe(0);
    }
    const base = path.join(p.dir, '.runbook/hooks/claude') + path.sep;
    const files = allFiles(p.dir).filter((f) => !f.endsWith('config.yaml'));
    expect(files.length).toBe(6);
    for (const f of files) expect(f.startsWith(base)).toBe(true);
  });

  test('--help explains the command on stderr and stores nothing', async () => {
    const p = project();
    const result = await runHook(p.dir, '', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: runbook integrations claude hook');
  });
});

describe('usage errors', () => {
  test('a missing argument or unknown option exits 2 with the usage', async () => {
    const missing = await runCli(['integrations', 'claude', 'learn']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'session-id'");
    const unknown = await runCli(['integrations', 'claude', 'learn', 's-1', '--no-such-flag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option');
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
