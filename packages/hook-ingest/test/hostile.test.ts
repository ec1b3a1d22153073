import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect } from '@runbook/storage-core';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { createLocalBackend, sessionFile } from '@runbook/storage-local';
import { fitToSize, ingestHookEvent, parseHookEvent, pruneDeepJson } from '../src/index.js';
import { fake } from './helpers/fake-secrets.js';

const head = '{"session_id":"s-1","hook_event_name":"PostToolUse"';

describe('nesting', () => {
  test('nesting millions deep is cut from the text before it is parsed', () => {
    const levels = 2_000_000;
    const input = `${head},"tool_response":${'['.repeat(levels)}"bottom"${']'.repeat(levels)}}`;
    const result = parseHookEvent(input, { limits: { maxDepth: 8 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      // The top-level object is level 1, tool_response level 2: the array at level 9 is the first one cut.
      expect(result.record.truncated).toEqual(['tool_response[0][0][0][0][0][0][0]']);
      expect(JSON.stringify(result.record.payload).length).toBeLessThan(300);
      expect(result.notes).toEqual(['1 value(s) nested deeper than 8 levels replaced']);
    }
  });

  test('pruning leaves strings that contain brackets and escaped quotes untouched', () => {
    const text = '{"a":"[[[{\\"x\\":\\"]]]\\\\","b":[[1,[2]],{"c":"{"}]}';
    expect(pruneDeepJson(text, 3)).toMatchObject({
      text: '{"a":"[[[{\\"x\\":\\"]]]\\\\","b":[[1,"[TRUNCATED] nested deeper than 3 levels"],{"c":"{"}]}',
      cut: 1,
    });
    expect(pruneDeepJson(text, 4)).toMatchObject({ text, cut: 0 });
  });

  test('thousands of cut values are listed as the first hundred paths and a count', () => {
    const wide = Array.from({ length: 5000 }, () => '{"k":{"v":1}}').join(',');
    const result = parseHookEvent(`${head},"items":[${wide}]}`, { limits: { maxDepth: 3 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.record.truncated).toHaveLength(101);
      expect(result.record.truncated?.[0]).toBe('items[0].k');
      expect(result.record.truncated?.[100]).toBe('… and 4900 more');
    }
  });

  test('unbalanced nesting is rejected as invalid JSON', () => {
    const result = parseHookEvent(`${head},"x":${'['.repeat(50_000)}`, { limits: { maxDepth: 4 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('invalid-json');
  });
});

describe('size', () => {
  test('a payload of many small values that cannot be shortened keeps its small top-level fields', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => i);
    const result = parseHookEvent(
      JSON.stringify({
        session_id: 's-1',
        hook_event_name: 'PostToolUse',
        cwd: '/srv',
        tool_name: 'Bash',
        tool_response: many,
      }),
      { limits: { maxEventBytes: 8 * 1024 } },
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.record.truncated).toEqual(['$']);
      expect(result.record.payload).toMatchObject({
        session_id: 's-1',
        hook_event_name: 'PostToolUse',
        cwd: '/srv',
        tool_name: 'Bash',
      });
      expect(result.record.payload.tool_response).toMatch(
        /^\[TRUNCATED\] value of \d+ bytes dropped: too many values to fit the 8192-byte event cap$/,
      );
      expect(Buffer.byteLength(JSON.stringify(result.record.payload))).toBeLessThan(8 * 1024);
      expect(result.notes[0]).toMatch(
        /payload cannot be shortened below about \d+ bytes, over the 8192-byte event cap; kept its small top-level fields, dropped 1 large one/,
      );
    }
  });

  test('strings are not cut when cutting all of them could not make the payload fit (cutting would make it larger)', () => {
    const root = {
      session_id: 's-1',
      hook_event_name: 'PostToolUse',
      items: Array.from({ length: 400 }, (_, i) => `value ${i} `.repeat(8)),
    };
    const before = JSON.stringify(root);
    expect(fitToSize(root, Buffer.byteLength(before), 8 * 1024)).toEqual([]);
    expect(JSON.stringify(root)).toBe(before);
  });

  test('invalid UTF-8 that grows when decoded is still held to the event cap', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${head},"tool_response":"`),
      Buffer.alloc(6000, 0xff),
      Buffer.from('"}'),
    ]);
    const result = parseHookEvent(bytes, { limits: { maxEventBytes: 8 * 1024 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Buffer.byteLength(JSON.stringify(result.record.payload))).toBeLessThanOrEqual(8 * 1024);
      expect(result.record.truncated).toEqual(['tool_response']);
    }
  });

  test('secrets are removed before values are shortened, and paths never carry one', () => {
    const payload = {
      session_id: 's-1',
      hook_event_name: 'PostToolUse',
      tool_response: { [fake.githubClassic]: { deep: { deeper: { value: `${'x'.repeat(40_000)} ${fake.npm}` } } } },
    };
    const result = parseHookEvent(JSON.stringify(payload), { limits: { maxEventBytes: 4096, maxDepth: 4 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      const stored = JSON.stringify(result.record);
      expect(stored).not.toContain(fake.githubClassic);
      expect(stored).not.toContain(fake.npm);
      expect(result.record.truncated).toEqual(['tool_response.[REDACTED:github-token].deep.deeper']);
    }
  });

  test('an input over the input cap keeps only its identity: nothing of the payload is stored', () => {
    const input = JSON.stringify({
      session_id: 's-1',
      hook_event_name: 'PostToolUse',
      tool_response: `${fake.awsAccessKeyId} ${'y'.repeat(5000)}`,
    });
    const result = parseHookEvent(input, { limits: { maxInputBytes: 2048 } });
    expect(result.ok && result.record.truncated).toEqual(['$']);
    expect(JSON.stringify(result)).not.toContain(fake.awsAccessKeyId);
  });
});

describe('redaction that fails', () => {
  test('a redactor that throws leaves the event without its payload, never unredacted', async () => {
    const seen: string[] = [];
    const result = await ingestHookEvent(
      JSON.stringify({ session_id: 's-1', hook_event_name: 'PostToolUse', tool_response: fake.githubClassic }),
      {
        append: async (r) => {
          seen.push(JSON.stringify(r));
          return 'stored';
        },
      },
      {
        redact: () => {
          throw new Error('pattern blew up');
        },
      },
    );
    expect(result.status).toBe('stored');
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain(fake.githubClassic);
    expect(JSON.parse(seen[0]!)).toMatchObject({
      sessionId: 's-1',
      truncated: ['$'],
      payload: { '[TRUNCATED]': 'payload dropped: redaction failed (pattern blew up)' },
    });
    expect(result.status === 'stored' && result.notes).toEqual([
      'redaction failed (pattern blew up); kept the event without its payload',
    ]);
  });
});

describe('malformed input', () => {
  test('a JSON error message never repeats a secret from the input', () => {
    const result = parseHookEvent(`{"session_id":"s","password":"${fake.password}" "oops"}`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('invalid-json');
      expect(result.message).not.toContain(fake.password);
    }
    const shaped = parseHookEvent(`${fake.githubClassic} is not JSON`);
    expect(!shaped.ok && shaped.message).not.toContain(fake.githubClassic);
  });

  test.each([
    [
      'session_id',
      { session_id: 's'.repeat(2000), hook_event_name: 'Stop' },
      'session_id is 2000 characters long (at most 1024)',
    ],
    [
      'hook_event_name',
      { session_id: 's', hook_event_name: 'E'.repeat(300) },
      'hook_event_name is 300 characters long (at most 256)',
    ],
  ])('an absurdly long %s is rejected', (_field, payload, message) => {
    const result = parseHookEvent(JSON.stringify(payload));
    expect(result).toEqual({ ok: false, reason: 'invalid-field', message: `hook event ${message}` });
  });

  test('invalid UTF-8, NUL bytes, lone surrogates and __proto__ keys store as lines that read back', async () => {
    const baseDir = mkdtempSync(path.join(tmpdir(), 'runbook-hostile-'));
    const backend = createLocalBackend({ baseDir });
    const bytes = Buffer.concat([
      Buffer.from(`${head},"cwd":"/srv","a":"`),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from(
        '","b":"nul\\u0000 lone \\ud800 pair \\ud83d\\ude80","__proto__":{"polluted":true},"c":"line\\nbreak\\r\\u2028"}',
      ),
    ]);
    const result = await ingestHookEvent(bytes, backend);
    expect(result.status).toBe('stored');
    const lines = readFileSync(sessionFile(baseDir, 's-1'), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const parsed = parseRecordLine(lines[0]!);
    expect(parsed.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(lines[0]).toContain('"__proto__":{"polluted":true}');
    const [record] = await collect(backend.read('s-1'));
    expect(record!.payload.b).toBe('nul\u0000 lone \ud800 pair \ud83d\ude80');
    expect(record!.payload.a).toBe('\ufffd\ufffd\ufffd(\ufffd');
  });
});
