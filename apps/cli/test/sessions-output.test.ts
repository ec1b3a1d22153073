import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration, parseSince } from '../src/output/duration.js';
import { createProgress } from '../src/output/progress.js';
import { colorEnabled, createStyle } from '../src/output/style.js';
import { forTerminal } from '../src/output/terminal.js';
import { oneLine, renderTable } from '../src/output/text.js';
import { runCli, tempProject } from './helpers/cli.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 60, writes, write: (chunk: string) => writes.push(chunk) };
}

describe('output conventions', () => {
  test('colour only on a terminal, never with NO_COLOR, forced with FORCE_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
    expect(forTerminal(createStyle({ isTTY: true }, {}).red('x'))).toBe('\u001b[31mx\u001b[39m');
    expect(createStyle({ isTTY: false }, {}).red('x')).toBe('x');
  });

  test('doctor colours its verdicts only when asked and never under NO_COLOR', async () => {
    const p = tempProject('runbook-colour-');
    try {
      const coloured = await runCli(['integrations', 'claude', 'doctor'], {
        cwd: p.dir,
        env: { NO_COLOR: '', FORCE_COLOR: '1' },
      });
      expect(coloured.stdout).toContain('\u001b[32mok  \u001b[39m');
      const plain = await runCli(['integrations', 'claude', 'doctor'], {
        cwd: p.dir,
        env: { NO_COLOR: '1', FORCE_COLOR: '1' },
      });
      expect(plain.stdout).not.toMatch(/\u001b\[/);
      expect(plain.stdout).toMatch(/^ok {4}storage /m);
    } finally {
      p.cleanup();
    }
  });

  test('the progress bar draws on a terminal only, and clears its line when done', () => {
    const tty = fakeStream(true);
    const progress = createProgress({ label: 'pruning', total: 4, stream: tty, delayMs: 0, env: {} });
    for (let i = 0; i < 4; i++) progress.tick();
    progress.done();
    expect(tty.writes.some((w) => /pruning \[#+\] 4\/4$/.test(w))).toBe(true);
    expect(forTerminal(tty.writes.at(-1)!)).toBe('\r\u001b[2K');

    const pipe = fakeStream(false);
    const quiet = createProgress({ label: 'pruning', total: 4, stream: pipe, delayMs: 0, env: {} });
    quiet.tick(4);
    quiet.done();
    expect(pipe.writes).toEqual([]);

    const off = fakeStream(true);
    createProgress({ label: 'x', stream: off, delayMs: 0, env: { RUNBOOK_NO_PROGRESS: '1' } }).tick();
    expect(off.writes).toEqual([]);
  });

  test('ages and dates for --since and --older-than', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('thirty days')).toBeUndefined();
    expect(parseSince('7d', Date.UTC(2026, 2, 8))?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseSince('2026-03-01T10:00:00Z')?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(parseSince('yesterday')).toBeUndefined();
    expect([
      formatDuration(42_000),
      formatDuration(42 * 60_000),
      formatDuration(3 * 3_600_000 + 5 * 60_000),
      formatDuration(30 * 86_400_000),
    ]).toEqual(['42s', '42m', '3h 05m', '30d']);
  });

  test('tables align columns and cut only the last one to the width', () => {
    const table = renderTable(
      [{ header: 'ID' }, { header: 'N', right: true }, { header: 'TEXT' }],
      [
        ['a', '5', 'short'],
        ['bbb', '12', oneLine('a long\nmultiline prompt', 100)],
      ],
      20,
    );
    expect(table).toBe('ID    N  TEXT\na     5  short\nbbb  12  a long mul…\n');
  });
});
