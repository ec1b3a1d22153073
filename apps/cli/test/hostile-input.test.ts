import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { fake } from '../../../packages/hook-ingest/test/helpers/fake-secrets.js';
import { runHook, tempProject, type TempProject } from './helpers/cli.js';

// Every malformed or hostile input to a real hook process: exit 0, nothing on stdout, at most one
// `runbook:` line on stderr, nothing corrupt stored, nothing written outside the base directory.

const projects: TempProject[] = [];
function project(): TempProject {
  const p = tempProject('runbook-hostile-');
  projects.push(p);
  return p;
}
afterEach(() => {
  while (projects.length) projects.pop()!.cleanup();
});

const HOOKS = '.runbook/hooks/claude';
const head = '{"session_id":"s-1","hook_event_name":"PostToolUse","cwd":"/srv/app"';

function entries(dir: string) {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).map((e) => ({
    path: path.join(e.parentPath, e.name),
    dir: e.isDirectory(),
  }));
}

/**
 * Everything the hook wrote: event files inside the base directory (each line a record) and the parsed
 * config cache, all readable by the owner only.
 */
function checkWhatWasWritten(dir: string): string[] {
  const base = path.join(dir, HOOKS);
  const cache = path.join(dir, '.runbook', 'cache');
  const written = entries(dir).filter((e) => e.path !== path.join(dir, '.runbook') && !e.path.endsWith('config.yaml'));
  const lines: string[] = [];
  for (const entry of written) {
    const allowed = [base, cache].some(
      (d) => entry.path === d || entry.path.startsWith(d + path.sep) || d.startsWith(entry.path + path.sep),
    );
    expect([entry.path, allowed]).toEqual([entry.path, true]);
    expect([entry.path, (statSync(entry.path).mode & 0o777).toString(8)]).toEqual([
      entry.path,
      entry.dir ? '700' : '600',
    ]);
    if (entry.path.endsWith('.ndjson')) {
      for (const line of readFileSync(entry.path, 'utf8').split('\n').filter(Boolean)) {
        expect(parseRecordLine(line)).toMatchObject({ ok: true });
        lines.push(line);
      }
    }
  }
  return lines;
}

const rejected: Array<[string, string | Buffer, string]> = [
  ['binary garbage', Buffer.from([0x00, 0xff, 0x13, 0x37, 0xc3, 0x28, 0x0a, 0x7b]), 'not valid JSON'],
  ['a byte-order mark and a truncated object', `\ufeff${head},"tool_input":{"command":"ls"`, 'not valid JSON'],
  ['unbalanced nesting, a million deep', `${head},"x":${'['.repeat(1_000_000)}`, 'not valid JSON'],
  ['only opening braces', '{'.repeat(500_000), 'not valid JSON'],
  ['a number', '42', 'must be a JSON object, got number'],
  ['two events on one stdin', `${head}}\n${head}}`, 'not valid JSON'],
  ['session_id of another type', '{"session_id":{"$ne":null},"hook_event_name":"Stop"}', 'no session_id'],
  [
    'a session_id of 5000 characters',
    JSON.stringify({ session_id: 'x'.repeat(5000), hook_event_name: 'Stop' }),
    'session_id is 5000 characters long',
  ],
  ['a secret in broken JSON', `{"session_id":"s-1","env":"GITHUB_TOKEN=${fake.githubClassic}" oops}`, 'not valid JSON'],
];

describe('malformed input to the hook process', () => {
  test.each(rejected)('%s: exit 0, one stderr line, nothing stored', async (_name, input, message) => {
    const p = project();
    const result = await runHook(p.dir, input);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^runbook: hook: /);
    expect(lines[0]).toContain(message);
    expect(lines[0]).toMatch(/; nothing stored$/);
    expect(result.stderr).not.toContain(fake.githubClassic);
    expect(existsSync(path.join(p.dir, HOOKS))).toBe(false);
  });
});

describe('hostile but valid input to the hook process', () => {
  test('nesting two million deep is stored with the deep part replaced and one note', async () => {
    const p = project();
    const levels = 2_000_000;
    const result = await runHook(p.dir, `${head},"tool_response":${'['.repeat(levels)}1${']'.repeat(levels)}}`);
    expect(result).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'runbook: hook: 1 value(s) nested deeper than 64 levels replaced\n',
    });
    const [line] = checkWhatWasWritten(p.dir);
    const record = JSON.parse(line!) as { truncated: string[] };
    expect(record.truncated).toHaveLength(1);
    expect(line!.length).toBeLessThan(2000);
  });

  test('a header name followed by 100,000 spaces and a token is stored with the token removed', async () => {
    const p = project();
    const stdout = `Authorization:${' '.repeat(100_000)}Bearer ${fake.opaqueBearer}`;
    const result = await runHook(p.dir, `${head},"tool_response":{"stdout":${JSON.stringify(stdout)}}}`);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const [line] = checkWhatWasWritten(p.dir);
    expect(line).not.toContain(fake.opaqueBearer);
    expect(line).toContain('Bearer [REDACTED:auth-header]');
  });

  test('a million short strings keep the event and its small fields, with one note', async () => {
    const p = project();
    const result = await runHook(p.dir, `${head},"tool_name":"Bash","tool_response":[${'"ab",'.repeat(999_999)}"ab"]}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^runbook: hook: payload cannot be shortened below about \d+ bytes, over the 4194304-byte event cap; kept its small top-level fields, dropped 1 large one\(s\)\n$/,
    );
    const [line] = checkWhatWasWritten(p.dir);
    expect(JSON.parse(line!)).toMatchObject({
      payload: {
        tool_name: 'Bash',
        tool_response: expect.stringMatching(/^\[TRUNCATED\] value of 5000001 bytes dropped/),
      },
      truncated: ['$'],
    });
  });

  test('input over the configured cap keeps the event without its payload, and says so once', async () => {
    const p = project();
    p.config('integrations:\n  claude:\n    limits:\n      maxInputBytes: 64KiB\n      maxEventBytes: 16KiB\n');
    const big = `${head},"tool_response":{"stdout":"${fake.awsAccessKeyId} ${'log line\\n'.repeat(400_000)}"}}`;
    const result = await runHook(p.dir, big);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^runbook: hook: payload of \d+ bytes exceeded the input cap; kept the event without its payload\n$/,
    );
    const [line] = checkWhatWasWritten(p.dir);
    expect(JSON.parse(line!)).toMatchObject({ sessionId: 's-1', eventName: 'PostToolUse', truncated: ['$'] });
    expect(line).not.toContain(fake.awsAccessKeyId);
  });

  test('a payload over the configured event size is shortened to fit, secrets removed first', async () => {
    const p = project();
    p.config('integrations:\n  claude:\n    limits:\n      maxEventBytes: 8KiB\n');
    const stdout = `${'x'.repeat(30_000)} ${fake.npm}`;
    const result = await runHook(p.dir, `${head},"tool_response":{"stdout":${JSON.stringify(stdout)}}}`);
    expect(result.stderr).toBe('runbook: hook: 1 field(s) shortened to fit 8192 bytes\n');
    const [line] = checkWhatWasWritten(p.dir);
    const record = JSON.parse(line!) as { payload: unknown; truncated: string[] };
    expect(Buffer.byteLength(JSON.stringify(record.payload))).toBeLessThanOrEqual(8192);
    expect(record.truncated).toEqual(['tool_response.stdout']);
    expect(line).not.toContain(fake.npm);
  });

  test('invalid UTF-8, NUL and control characters, and __proto__ keys store as readable lines', async () => {
    const p = project();
    const input = Buffer.concat([
      Buffer.from(`${head},"a":"`),
      Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from(
        '","b":"\\u0000\\u001b[31m\\u2028\\ud800","__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
      ),
    ]);
    const result = await runHook(p.dir, input);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(checkWhatWasWritten(p.dir)).toHaveLength(1);
  });

  test('a limits section with a bad value is reported and the defaults apply', async () => {
    const p = project();
    p.config('integrations:\n  claude:\n    limits:\n      maxDepth: deep\n');
    const result = await runHook(p.dir, `${head}}`);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^runbook: .*config\.yaml: integrations\.claude\.limits\.maxDepth: must be a whole number from 1 to 1000, got "deep"; using the built-in redaction and default limits\n$/,
    );
    expect(checkWhatWasWritten(p.dir)).toHaveLength(1);
  });
});
