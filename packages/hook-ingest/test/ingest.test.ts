import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { ingestHookEvent, parseHookEvent } from '../src/index.js';

const base = { session_id: 'sess-1', hook_event_name: 'PreToolUse', cwd: '/repo', transcript_path: '/t.jsonl' };

function store() {
  return createLocalBackend({ baseDir: mkdtempSync(path.join(tmpdir(), 'runbook-ingest-')) });
}

describe('parseHookEvent', () => {
  test.each([
    ['', 'empty', 'empty input'],
    ['   \n', 'empty', 'empty input'],
    ['{"session_id":', 'invalid-json', 'not valid JSON'],
    ['[1,2]', 'not-object', 'got an array'],
    ['"text"', 'not-object', 'got string'],
    ['null', 'not-object', 'got null'],
    ['{"hook_event_name":"Stop"}', 'missing-field', 'no session_id'],
    ['{"session_id":"s","hook_event_name":""}', 'missing-field', 'no hook_event_name'],
    ['{"session_id":42,"hook_event_name":"Stop"}', 'missing-field', 'no session_id'],
  ])('rejects %j as %s with one clear line', (input, reason, text) => {
    const result = parseHookEvent(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message).toContain(text);
      expect(result.message).not.toContain('\n');
    }
  });

  test('keeps every field of the payload, including ones it does not know', () => {
    const payload = {
      ...base,
      tool_name: 'Bash',
      tool_input: { command: 'ls' },
      tool_use_id: 'toolu_1',
      agent_id: 'a1',
      brand_new_field: { x: [1] },
    };
    const result = parseHookEvent(JSON.stringify(payload));
    expect(result.ok && result.record.payload).toEqual(payload);
    expect(result.ok && result.record).toMatchObject({
      sessionId: 'sess-1',
      eventName: 'PreToolUse',
      cwd: '/repo',
      transcriptPath: '/t.jsonl',
    });
  });

  test('accepts event names it has never seen', () => {
    const result = parseHookEvent(JSON.stringify({ ...base, hook_event_name: 'SomeFutureEvent' }));
    expect(result.ok && result.record.eventName).toBe('SomeFutureEvent');
  });

  test('uses the fallback cwd and a null transcript path when the payload has none', () => {
    const result = parseHookEvent(JSON.stringify({ session_id: 's', hook_event_name: 'Stop' }), {
      fallbackCwd: '/here',
    });
    expect(result.ok && result.record).toMatchObject({ cwd: '/here', transcriptPath: null });
  });

  test('replaces hostile nesting with a marker instead of failing', () => {
    const deep = `${'{"d":'.repeat(100_000)}"bottom"${'}'.repeat(100_000)}`;
    const input = `{"session_id":"s","hook_event_name":"PreToolUse","tool_input":${deep}}`;
    const result = parseHookEvent(input, { limits: { maxDepth: 16 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.record.truncated?.length).toBe(1);
      expect(JSON.stringify(result.record.payload)).toContain('nested deeper than 16 levels');
    }
  });

  test('shortens the largest strings of an oversized payload and says so', () => {
    const payload = {
      ...base,
      tool_response: { stdout: 'a'.repeat(300_000), stderr: 'b'.repeat(50_000) },
      prompt: 'keep me',
    };
    const result = parseHookEvent(JSON.stringify(payload), { limits: { maxEventBytes: 100_000 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Buffer.byteLength(JSON.stringify(result.record.payload))).toBeLessThanOrEqual(100_000);
      expect(result.record.payload.prompt).toBe('keep me');
      expect(result.record.truncated).toContain('tool_response.stdout');
      expect((result.record.payload.tool_response as { stdout: string }).stdout).toMatch(
        /\[TRUNCATED\] \d+ of 300000 chars removed$/,
      );
    }
  });

  test('keeps an event whose input exceeds the input cap, without its payload', () => {
    const input = JSON.stringify({ ...base, tool_response: 'z'.repeat(2000) });
    const result = parseHookEvent(input, { limits: { maxInputBytes: 1000 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.record.sessionId).toBe('sess-1');
      expect(result.record.truncated).toEqual(['$']);
      expect(JSON.stringify(result.record.payload)).not.toContain('zzzz');
    }
  });

  test('rejects an over-cap input with no readable identity', () => {
    const result = parseHookEvent(`{"x":"${'z'.repeat(2000)}"}`, { limits: { maxInputBytes: 1000 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('too-large');
  });
});

describe('ingestHookEvent', () => {
  test('stores a valid event through the sink', async () => {
    const backend = store();
    const result = await ingestHookEvent(Buffer.from(JSON.stringify(base)), backend);
    expect(result.status).toBe('stored');
    expect((await collect(backend.read('sess-1'))).map((r) => r.eventName)).toEqual(['PreToolUse']);
  });

  test('stores nothing for bad input', async () => {
    const backend = store();
    const result = await ingestHookEvent('{oops', backend);
    expect(result.status).toBe('rejected');
    expect(await collect(backend.list!())).toEqual([]);
  });

  test('reports storage trouble instead of throwing, keeping the parsed record', async () => {
    const result = await ingestHookEvent(JSON.stringify(base), {
      append: async () => {
        throw new Error('disk full');
      },
    });
    expect(result.status).toBe('failed');
    if (result.status === 'failed') {
      expect(result.message).toBe('disk full');
      expect(result.record.sessionId).toBe('sess-1');
    }
  });

  test('runs the redactor before the sink sees the payload', async () => {
    const seen: string[] = [];
    await ingestHookEvent(
      JSON.stringify({ ...base, prompt: 'secret-value' }),
      {
        append: async (r) => {
          seen.push(JSON.stringify(r));
          return 'stored';
        },
      },
      {
        redact: (p) => ({ payload: { ...p, prompt: '[REDACTED:test]' }, redactions: { test: 1 } }),
      },
    );
    expect(seen[0]).not.toContain('secret-value');
    expect(JSON.parse(seen[0]!).redactions).toEqual({ test: 1 });
  });
});
