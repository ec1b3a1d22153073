import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CLAUDE_HOOK_EVENTS } from '../src/settings/events.js';
import { findRunbookHooks, installHooks, uninstallHooks } from '../src/settings/hook-entries.js';
import type { SettingsDocument } from '../src/settings/settings-file.js';
import { CLI, hookEvent, runCli, tempProject, type TempProject } from './helpers/cli.js';

let project: TempProject;
let home: string;

beforeEach(() => {
  project = tempProject('runbook-enable-');
  home = mkdtempSync(path.join(tmpdir(), 'runbook-home-'));
});
afterEach(() => {
  project.cleanup();
  rmSync(home, { recursive: true, force: true });
});

/** `runbook integrations claude <args>` in the project, with its own home directory. */
function claude(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['integrations', 'claude', ...args], { cwd: project.dir, env: { HOME: home, ...env } });
}

const projectSettings = () => path.join(project.dir, '.claude', 'settings.json');
const readJson = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as {
    hooks: Record<string, Array<{ matcher?: string; hooks: Array<Record<string, unknown>> }>>;
    [key: string]: unknown;
  };

const USER_SETTINGS = `${JSON.stringify(
  {
    permissions: { allow: ['Bash(npm test)'], deny: ['Read(./.env)'] },
    hooks: {
      PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './scripts/guard.sh', timeout: 5 }] }],
      Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
    },
    model: 'claude-sonnet-4-5',
  },
  null,
  2,
)}\n`;

/** Run a hook command the way Claude Code does: through the shell, one event as JSON on stdin. */
function runHookCommand(command: string, event: object, env: NodeJS.ProcessEnv) {
  return spawnSync('/bin/sh', ['-c', command], {
    cwd: project.dir,
    input: JSON.stringify(event),
    env: { ...process.env, CLAUDE_PROJECT_DIR: project.dir, ...env },
    encoding: 'utf8',
  });
}

describe('enable', () => {
  test("adds one entry per hook event, keeps the user's settings and hooks, and is idempotent", async () => {
    mkdirSync(path.dirname(projectSettings()), { recursive: true });
    writeFileSync(projectSettings(), USER_SETTINGS);

    const first = await claude(['enable']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${CLAUDE_HOOK_EVENTS.length} events`);
    const settings = readJson(projectSettings());
    const original = JSON.parse(USER_SETTINGS);
    expect(settings.permissions).toEqual(original.permissions);
    expect(settings.model).toBe('claude-sonnet-4-5');
    expect(Object.keys(settings.hooks).sort()).toEqual([...CLAUDE_HOOK_EVENTS].sort());
    // The user's own groups stay first and untouched; ours follows.
    expect(settings.hooks.PreToolUse![0]).toEqual(original.hooks.PreToolUse[0]);
    expect(settings.hooks.Stop![0]).toEqual(original.hooks.Stop[0]);
    for (const event of CLAUDE_HOOK_EVENTS) {
      const ours = settings.hooks[event]!.flatMap((g) => g.hooks).filter((h) =>
        String(h.command).includes('integrations claude hook'),
      );
      expect(ours, event).toHaveLength(1);
      expect(ours[0]).toMatchObject({ type: 'command', timeout: 10 });
      expect(ours[0]!.async).toBeUndefined();
    }
    expect(settings.hooks.PostToolUse!.at(-1)!.matcher).toBe('*');

    const afterFirst = readFileSync(projectSettings(), 'utf8');
    const second = await claude(['enable']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing changed');
    expect(readFileSync(projectSettings(), 'utf8')).toBe(afterFirst);
  });

  test('disable removes exactly its entries: the file reads byte for byte as before', async () => {
    mkdirSync(path.dirname(projectSettings()), { recursive: true });
    writeFileSync(projectSettings(), USER_SETTINGS);
    expect((await claude(['enable'])).code).toBe(0);
    const off = await claude(['disable']);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain(`${CLAUDE_HOOK_EVENTS.length} events`);
    expect(readFileSync(projectSettings(), 'utf8')).toBe(USER_SETTINGS);
    const again = await claude(['disable']);
    expect(again.stdout).toContain('not installed');
    expect(readFileSync(projectSettings(), 'utf8')).toBe(USER_SETTINGS);
  });

  test('keeps a tab-indented file tab-indented', async () => {
    mkdirSync(path.dirname(projectSettings()), { recursive: true });
    const tabbed = `${JSON.stringify({ model: 'opus' }, null, '\t')}\n`;
    writeFileSync(projectSettings(), tabbed);
    await claude(['enable', '--events', 'Stop']);
    expect(readFileSync(projectSettings(), 'utf8')).toMatch(/^\{\n\t"model"/);
    await claude(['disable']);
    expect(readFileSync(projectSettings(), 'utf8')).toBe(tabbed);
  });

  test('reports a malformed settings file and never overwrites it', async () => {
    mkdirSync(path.dirname(projectSettings()), { recursive: true });
    const broken = '{ "hooks": { "Stop": [ }\n';
    writeFileSync(projectSettings(), broken);
    const result = await claude(['enable']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(projectSettings());
    expect(result.stderr).toMatch(/not valid JSON/);
    expect(readFileSync(projectSettings(), 'utf8')).toBe(broken);

    const wrongShape = '{ "hooks": ["Stop"] }\n';
    writeFileSync(projectSettings(), wrongShape);
    const shaped = await claude(['disable']);
    expect(shaped.code).toBe(1);
    expect(shaped.stderr).toMatch(/hooks must be an object/);
    expect(readFileSync(projectSettings(), 'utf8')).toBe(wrongShape);
  });

  test('--events installs exactly the named events, moving its entries when run again', async () => {
    expect((await claude(['enable', '--events', 'SessionStart,Stop', '--events', 'SessionEnd'])).code).toBe(0);
    expect(Object.keys(readJson(projectSettings()).hooks)).toEqual(['SessionStart', 'Stop', 'SessionEnd']);
    const narrowed = await claude(['enable', '--events', 'Stop']);
    expect(narrowed.stdout).toContain('2 removed');
    expect(Object.keys(readJson(projectSettings()).hooks)).toEqual(['Stop']);
    const bad = await claude(['enable', '--events', 'Stop;rm']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"Stop;rm" is not a hook event name');
  });

  test('--scope user and --scope local write their own files', async () => {
    expect((await claude(['enable', '--scope', 'user', '--events', 'Stop'])).code).toBe(0);
    expect(readJson(path.join(home, '.claude', 'settings.json')).hooks.Stop).toHaveLength(1);
    expect((await claude(['enable', '--scope', 'local', '--events', 'Stop', '--async'])).code).toBe(0);
    const local = readJson(path.join(project.dir, '.claude', 'settings.local.json'));
    expect(local.hooks.Stop![0]!.hooks[0]).toMatchObject({ async: true, timeout: 10 });
    const status = await claude(['status', '--json']);
    const parsed = JSON.parse(status.stdout) as { hook: { installed: boolean; locations: Array<{ scope: string }> } };
    expect(parsed.hook.installed).toBe(true);
    expect(parsed.hook.locations.map((l) => l.scope)).toEqual(['local', 'user']);
    const off = await claude(['disable', '--scope', 'all']);
    expect(off.code).toBe(0);
    expect(readJson(path.join(home, '.claude', 'settings.json')).hooks).toBeUndefined();
  });

  test('without runbook on PATH it writes node and the script by absolute path, and that command stores events', async () => {
    const result = await claude(['enable', '--events', 'UserPromptSubmit'], { PATH: '/usr/bin:/bin' });
    expect(result.stderr).toContain('runbook is not on PATH');
    const command = String(readJson(projectSettings()).hooks.UserPromptSubmit![0]!.hooks[0]!.command);
    expect(command).toBe(`${process.execPath} ${CLI} integrations claude hook`);
    const ran = runHookCommand(
      command,
      hookEvent('abs-path-session', 'UserPromptSubmit', { prompt: 'is the queue backed up?' }),
      { PATH: '/usr/bin:/bin' },
    );
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe('');
    const list = await claude(['sessions', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { sessionId: 'abs-path-session', eventCount: 1, firstPrompt: 'is the queue backed up?' },
    ]);
  });

  test('with this runbook on PATH it writes the plain command, and that command stores events', async () => {
    const bin = path.join(home, 'bin');
    mkdirSync(bin);
    symlinkSync(CLI, path.join(bin, 'runbook'));
    const PATH = `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin:/bin`;
    expect((await claude(['enable', '--events', 'SessionStart'], { PATH })).code).toBe(0);
    const command = readJson(projectSettings()).hooks.SessionStart![0]!.hooks[0]!.command;
    expect(command).toBe('runbook integrations claude hook');
    const ran = runHookCommand(String(command), hookEvent('path-session', 'SessionStart', { source: 'startup' }), {
      PATH,
    });
    expect(ran.status).toBe(0);
    const list = await claude(['sessions', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((s: { sessionId: string }) => s.sessionId)).toEqual(['path-session']);
  });
});

describe("settings edits keep the user's formatting", () => {
  const spec = { command: 'runbook integrations claude hook', timeoutSeconds: 10, async: false };
  const doc = (text: string): SettingsDocument => ({
    file: 'settings.json',
    exists: true,
    text,
    data: JSON.parse(text) as Record<string, unknown>,
  });
  const layouts: Record<string, string> = {
    'empty object': '{}\n',
    'compact one-liner': '{"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"say done"}]}]}}',
    'four spaces, CRLF':
      '{\r\n    "hooks": {\r\n        "PreToolUse": [\r\n            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "./guard.sh" } ] }\r\n        ]\r\n    }\r\n}\r\n',
    'tabs, empty hooks arrays':
      '{\n\t"hooks": {\n\t\t"Stop": [\n\t\t\t{ "hooks": [] }\n\t\t],\n\t\t"SessionEnd": [{ "hooks": [{ "type": "command", "command": "a" }, { "type": "command", "command": "b" }] }]\n\t},\n\t"env": {}\n}',
    'keys with escapes': '{ "a\\"b": "x\\u00e9", "n": -1.5e3, "t": true, "z": null, "hooks": { "Stop": [] } }\n',
  };

  test.each(Object.entries(layouts))('%s: enable then disable gives back every byte', (_name, text) => {
    const d = doc(text);
    const on = installHooks(d, CLAUDE_HOOK_EVENTS, spec);
    expect(on.added).toHaveLength(CLAUDE_HOOK_EVENTS.length);
    expect(
      findRunbookHooks(d.data, d.file)
        .map((h) => h.event)
        .sort(),
    ).toEqual([...CLAUDE_HOOK_EVENTS].sort());
    // Everything of the user's is still there, value for value.
    const before = JSON.parse(text) as Record<string, unknown>;
    for (const [key, value] of Object.entries(before)) if (key !== 'hooks') expect(d.data[key]).toEqual(value);
    const again = installHooks(d, CLAUDE_HOOK_EVENTS, spec);
    expect(again).toEqual({ added: [], updated: [], removed: [], kept: [] });
    const off = uninstallHooks(d);
    expect(off.removed).toHaveLength(CLAUDE_HOOK_EVENTS.length);
    const expected = /"Stop": \[\]/.test(text) ? text.replace(/, "hooks": \{ "Stop": \[\] \}/, '') : text;
    expect(d.text).toBe(expected);
  });

  test('an entry edited by hand is updated in place and a second copy is removed', () => {
    const d = doc(
      `${JSON.stringify(
        {
          hooks: {
            Stop: [
              {
                hooks: [
                  {
                    type: 'command',
                    command: 'runbook integrations claude hook',
                    timeout: 99,
                    statusMessage: 'saving',
                  },
                  { type: 'command', command: 'runbook integrations claude hook' },
                ],
              },
            ],
          },
        },
        null,
        2,
      )}\n`,
    );
    const result = installHooks(d, ['Stop'], spec);
    expect(result).toEqual({ added: [], updated: ['Stop'], removed: [], kept: [] });
    expect((d.data.hooks as Record<string, Array<{ hooks: unknown[] }>>).Stop![0]!.hooks).toEqual([
      { type: 'command', command: 'runbook integrations claude hook', timeout: 10, statusMessage: 'saving' },
    ]);
  });
});
