import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';
import { claudeHome, TranscriptWriter } from './helpers/transcript-fixture.js';

const SESSION = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';

test('a 50 MB transcript is archived in bounded memory and reads back identical', async () => {
  const p = tempProject('runbook-transcripts-large-');
  try {
    const home = claudeHome(p.dir, p.dir);
    const file = path.join(home.folder, `${SESSION}.jsonl`);
    const writer = new TranscriptWriter(SESSION, file, p.dir);
    const output =
      'level=info msg="request served" route=/charge status=200 latency_ms=12 trace=4bf92f3577b34da6\n'.repeat(90);
    let batch = '';
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const entries =
        i % 2
          ? [writer.toolResult(`toolu_${i}`, output)]
          : [
              writer.assistant([
                writer.text(`step ${i}: reading the logs`),
                writer.toolUse(`toolu_${i + 1}`, 'Bash', { command: `kubectl logs pod/api-${i}` }),
              ]),
            ];
      const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
      batch += text;
      size += Buffer.byteLength(text);
      if (batch.length > 4 * 1024 * 1024) {
        appendFileSync(file, batch);
        batch = '';
      }
    }
    appendFileSync(file, batch);
    const original = readFileSync(file);
    const digest = createHash('sha256').update(original).digest('hex');

    // Each process writes its peak resident memory where the test can read it.
    const peakFile = path.join(p.dir, 'peak-rss');
    const preload = path.join(p.dir, 'peak.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(peakFile)}, String(process.resourceUsage().maxRSS)));\n`,
    );
    const env = { CLAUDE_CONFIG_DIR: home.configDir, CLAUDE_PROJECT_DIR: p.dir, NODE_OPTIONS: `--require ${preload}` };
    const imported = await runCli(['integrations', 'claude', 'transcripts', 'import', '--json'], { cwd: p.dir, env });
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({ sessions: 1, bytes: original.length, failed: 0 });
    const peakKb = Number(readFileSync(peakFile, 'utf8'));
    // The file is 50 MB; reading it whole (plus its text and its redacted copy) would take several times that.
    expect(peakKb).toBeLessThan(160 * 1024);

    rmSync(file);
    const back = await runCli(['integrations', 'claude', 'sessions', 'export', SESSION, '--transcript'], {
      cwd: p.dir,
      env: { CLAUDE_PROJECT_DIR: p.dir },
    });
    expect(back.code).toBe(0);
    expect(Buffer.byteLength(back.stdout)).toBe(original.length);
    expect(createHash('sha256').update(back.stdout).digest('hex')).toBe(digest);
  } finally {
    p.cleanup();
  }
}, 180_000);
