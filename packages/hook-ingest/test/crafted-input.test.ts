import { describe, expect, test } from 'vitest';
import { createRedactor, parseHookEvent, redactText } from '../src/index.js';
import { fake } from './helpers/fake-secrets.js';

// Shapes that once made redaction or the payload walk take from seconds to minutes (quadratic scans,
// copies of every value). Each must now come out right: redacted where there is a secret, stored, and
// reduced with a marker where the payload cannot fit.

const head = '{"session_id":"s-1","hook_event_name":"PostToolUse","cwd":"/srv","tool_name":"Bash"';
const withOutput = (text: string) => `${head},"tool_response":{"stdout":${JSON.stringify(text)}}}`;
const stdoutOf = (result: ReturnType<typeof parseHookEvent>) => {
  if (!result.ok) throw new Error(result.message);
  return (result.record.payload.tool_response as { stdout: string }).stdout;
};

describe('crafted text', () => {
  test('a header name followed by 100,000 spaces, then a token: the token goes', () => {
    const stdout = stdoutOf(
      parseHookEvent(withOutput(`Authorization:${' '.repeat(100_000)}Bearer ${fake.opaqueBearer}`)),
    );
    expect(stdout).not.toContain(fake.opaqueBearer);
    expect(stdout.endsWith('Bearer [REDACTED:auth-header]')).toBe(true);
  });

  test('a JWT-like prefix repeated over 400 KB is not a token and is kept as it is', () => {
    const text = '-eyJ'.repeat(100_000);
    expect(stdoutOf(parseHookEvent(withOutput(text)))).toBe(text);
  });

  test('3 MB of private-key headers without an end line: every header is removed', () => {
    const header = ['-----BEGIN RSA ', 'PRIVATE KEY-----!'].join('');
    const stdout = stdoutOf(parseHookEvent(withOutput(header.repeat(100_000))));
    expect(stdout).toBe('[REDACTED:private-key]!'.repeat(100_000));
  });

  test('a private key with its end line a little further on is removed whole, the text after it kept', () => {
    const text = `key:\n${fake.rsaKey}\nnext line`;
    expect(redactText(text).text).toBe('key:\n[REDACTED:private-key]\nnext line');
  });

  test('secret names repeated without values, over hundreds of kilobytes, leave the text as it was', () => {
    for (const piece of [
      'password=',
      'token: "',
      "key='\\",
      '\\"password\\": ',
      'github_pat_',
      'xoxb-',
      ' -u a:',
      'AKIA',
      'AIza',
    ]) {
      const text = piece.repeat(Math.ceil(400_000 / piece.length));
      const { text: out } = redactText(text);
      // Whatever was taken for a value is a marker; nothing else changed.
      expect(out.replace(/\[REDACTED:[a-z-]+\]/g, '').length).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('payloads of very many values', () => {
  test('a million short strings: the small top-level fields are kept, the array is replaced by a marker', () => {
    const input = `${head},"tool_input":{"command":"cat big.json"},"tool_response":[${'"ab",'.repeat(999_999)}"ab"]}`;
    const result = parseHookEvent(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record.payload).toMatchObject({
      session_id: 's-1',
      tool_name: 'Bash',
      tool_input: { command: 'cat big.json' },
    });
    expect(result.record.payload.tool_response).toMatch(
      /^\[TRUNCATED\] value of 5000001 bytes dropped: too many values to fit the 4194304-byte event cap$/,
    );
    expect(result.record.truncated).toEqual(['$']);
  });

  test('ten million [] are not parsed whole: the event is kept with a marker', () => {
    const input = `${head},"tool_response":[${'[],'.repeat(9_999_999)}[]]}`;
    const result = parseHookEvent(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record.payload.tool_response).toMatch(/^\[TRUNCATED\] value of 30000001 bytes dropped/);
    expect(Buffer.byteLength(JSON.stringify(result.record.payload))).toBeLessThan(1024);
  });

  test('one string far over the event cap is cut before redaction, and a secret at its start still goes', () => {
    const text = `token=${fake.githubClassic}\n${'log line without secrets\n'.repeat(400_000)}`;
    const result = parseHookEvent(withOutput(text), { limits: { maxEventBytes: 1024 * 1024 } });
    const stdout = stdoutOf(result);
    expect(stdout.startsWith('token=[REDACTED:github-token]\nlog line')).toBe(true);
    expect(stdout).toMatch(/\[TRUNCATED\] \d+ of 10000047 chars removed$/);
    expect(Buffer.byteLength(JSON.stringify(result.ok && result.record.payload))).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('the time budget', () => {
  const secretful = {
    session_id: 's-1',
    hook_event_name: 'PostToolUse',
    tool_input: { command: `curl -H "Authorization: Bearer ${fake.opaqueBearer}" https://api.example.com` },
    tool_response: { stdout: `GITHUB_TOKEN=${fake.githubClassic}\nok` },
  };

  test('past the deadline, strings not yet redacted are stored as a marker, never as they were', () => {
    const result = parseHookEvent(JSON.stringify(secretful), { deadline: 1000, clock: () => 2000 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const stored = JSON.stringify(result.record.payload);
    expect(stored).not.toContain(fake.opaqueBearer);
    expect(stored).not.toContain(fake.githubClassic);
    expect(result.record.payload).toMatchObject({
      session_id: 's-1',
      hook_event_name: 'PostToolUse',
      tool_input: {
        command: expect.stringMatching(/^\[TRUNCATED\] \d+ chars not stored: not redacted within the time budget$/),
      },
    });
    expect(result.notes).toContain(
      'redaction ran out of time; 2 value(s) it had not reached were replaced by a marker',
    );
  });

  test('a deadline that is not reached changes nothing', () => {
    const redact = createRedactor();
    const within = redact(secretful, { deadline: 1000, clock: () => 0 });
    expect(within).toEqual(redact(secretful));
    expect(within.unreached).toBeUndefined();
  });

  test('time running out in the middle of the payload keeps what was redacted before it', () => {
    let now = 0;
    // The clock moves on each look: the first values are redacted, the rest are not reached.
    const clock = () => (now += 1);
    const many = {
      session_id: 's-1',
      hook_event_name: 'PostToolUse',
      items: Array.from({ length: 400 }, (_, i) => `line ${i} password="${fake.password}"`),
    };
    const result = createRedactor()(many, { deadline: 3, clock });
    const items = result.payload.items as string[];
    expect(items[0]).toBe('line 0 password="[REDACTED:secret-assignment]"');
    expect(items.at(-1)).toMatch(/^\[TRUNCATED\] \d+ chars not stored/);
    expect(JSON.stringify(result.payload)).not.toContain(fake.password);
    expect(result.unreached).toBeGreaterThan(0);
  });
});
