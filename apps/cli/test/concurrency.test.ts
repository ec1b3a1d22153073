import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { hookEvent, runHook, tempProject } from './helpers/cli.js';

// Claude Code runs the hooks of parallel tool calls at the same time.
test('200 hook processes appending 100 KB events to one session leave 200 whole lines', async () => {
  const p = tempProject();
  try {
    const body = 'log line with some text in it; '.repeat(3300);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        runHook(
          p.dir,
          hookEvent('parallel-session', 'PostToolUse', {
            tool_name: 'Bash',
            tool_use_id: `toolu_${i}`,
            tool_response: { stdout: body, i },
          }),
        ),
      ),
    );
    expect(results.every((r) => r.code === 0 && r.stdout === '' && r.stderr === '')).toBe(true);
    const text = readFileSync(
      path.join(p.dir, '.runbook/hooks/claude/sessions/parallel-session/events.ndjson'),
      'utf8',
    );
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(200);
    const seen = new Set(
      lines
        .map(
          (l) => (JSON.parse(l) as { payload: { tool_response: { i: number; stdout: string } } }).payload.tool_response,
        )
        .map((r) => {
          expect(r.stdout).toBe(body);
          return r.i;
        }),
    );
    expect(seen.size).toBe(200);
  } finally {
    p.cleanup();
  }
}, 180_000);
