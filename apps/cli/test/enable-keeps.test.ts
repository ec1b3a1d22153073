import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CLI, runCli, tempProject, type TempProject } from './helpers/cli.js';

// `enable` edits a file the user owns: their own edits of the runbook entry stay, a symlinked file stays
// a link, a file Claude Code would read differently from us is refused, and the previous content is kept.

let project: TempProject;
let home: string;
let PATH: string;

beforeEach(() => {
  project = tempProject('runbook-enable-keeps-');
  home = mkdtempSync(path.join(tmpdir(), 'runbook-enable-home-'));
  // This runbook on PATH, as after a global install.
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(CLI, path.join(bin, 'runbook'));
  PATH = [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
});
afterEach(() => {
  project.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const claude = (args: string[]) =>
  runCli(['integrations', 'claude', ...args], { cwd: project.dir, env: { HOME: home, PATH } });
const settingsFile = () => path.join(project.dir, '.claude', 'settings.json');
type Hook = { type: string; command: string; timeout?: number; async?: boolean; statusMessage?: string };
const stopHooks = (file = settingsFile()) =>
  (JSON.parse(readFileSync(file, 'utf8')) as { hooks: { Stop: Array<{ hooks: Hook[] }> } }).hooks.Stop.flatMap(
    (g) => g.hooks,
  );

function writeSettings(value: unknown): string {
  mkdirSync(path.dirname(settingsFile()), { recursive: true });
  const text = `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(settingsFile(), text);
  return text;
}

test("the user's own runbook entry (extra arguments, timeout, other keys) is kept; only given options replace it", async () => {
  const mine: Hook = {
    type: 'command',
    command: 'runbook integrations claude hook --project-dir /srv/payments',
    timeout: 30,
    statusMessage: 'recording',
  };
  writeSettings({ hooks: { Stop: [{ hooks: [mine] }] } });
  const result = await claude(['enable', '--events', 'Stop']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('kept your own entry for 1 events');
  expect(stopHooks()).toEqual([mine]);

  const timeout = await claude(['enable', '--events', 'Stop', '--timeout', '20']);
  expect(timeout.code).toBe(0);
  expect(stopHooks()).toEqual([{ ...mine, timeout: 20 }]);
});

test('an entry whose program is gone gets the new invocation and keeps its arguments', async () => {
  const gone = {
    type: 'command',
    command: '/opt/old-node/bin/node /opt/old/runbook.cjs integrations claude hook --project-dir /srv/payments',
    timeout: 30,
  };
  writeSettings({ hooks: { Stop: [{ hooks: [gone] }] } });
  expect((await claude(['enable', '--events', 'Stop'])).code).toBe(0);
  expect(stopHooks()).toEqual([
    { type: 'command', command: 'runbook integrations claude hook --project-dir /srv/payments', timeout: 30 },
  ]);
});

test('a symlinked settings.json is written through the link', async () => {
  const dotfiles = path.join(home, 'dotfiles');
  mkdirSync(dotfiles);
  const real = path.join(dotfiles, 'claude-settings.json');
  writeFileSync(real, '{ "model": "opus" }\n');
  mkdirSync(path.join(home, '.claude'));
  const link = path.join(home, '.claude', 'settings.json');
  symlinkSync(path.relative(path.dirname(link), real), link);

  expect((await claude(['enable', '--scope', 'user', '--events', 'Stop'])).code).toBe(0);
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(stopHooks(real)).toHaveLength(1);
  expect(JSON.parse(readFileSync(real, 'utf8')).model).toBe('opus');
  expect((await claude(['disable', '--scope', 'user'])).code).toBe(0);
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readFileSync(real, 'utf8')).toBe('{ "model": "opus" }\n');
});

test('a key written twice is refused with its line, and the file is left alone', async () => {
  mkdirSync(path.dirname(settingsFile()), { recursive: true });
  const text =
    '{\n  "hooks": { "Stop": [] },\n  "model": "opus",\n  "hooks": { "SessionEnd": [{ "hooks": [{ "type": "command", "command": "notify-send bye" }] }] }\n}\n';
  writeFileSync(settingsFile(), text);
  for (const args of [['enable'], ['disable']]) {
    const result = await claude(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `runbook: ${settingsFile()}:4: key "hooks" appears twice in one object and Claude Code reads only the last one; merge them by hand, the file was left unchanged\n`,
    );
    expect(readFileSync(settingsFile(), 'utf8')).toBe(text);
  }
});

test('the previous content is kept in settings.json.bak whenever the file changes', async () => {
  const original = writeSettings({ model: 'opus' });
  const on = await claude(['enable', '--events', 'Stop']);
  expect(on.stdout).toContain('the previous file is in .claude/settings.json.bak');
  expect(readFileSync(`${settingsFile()}.bak`, 'utf8')).toBe(original);
  const enabled = readFileSync(settingsFile(), 'utf8');
  expect((await claude(['disable'])).code).toBe(0);
  expect(readFileSync(`${settingsFile()}.bak`, 'utf8')).toBe(enabled);
  expect(readFileSync(settingsFile(), 'utf8')).toBe(original);
});

test('a new settings file has no backup to keep', async () => {
  expect((await claude(['enable', '--events', 'Stop'])).code).toBe(0);
  expect(existsSync(`${settingsFile()}.bak`)).toBe(false);
});
