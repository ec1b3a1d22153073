#!/usr/bin/env node
// Times loading `.runbook/config.yaml` (YAML parse, checks, interpolation, validation) in-process for files of
// many keys up to the size cap and one over it, and the first hook process after such a config is written
// (no parse cache yet). Loading must grow linearly with the file; a file over the cap is refused at once.
//
//   pnpm bench:config [--runs 3]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, flag, median, root } from './lib.mjs';

const runs = Number(flag('runs', 3));
const { loadRunbookConfig, MAX_CONFIG_BYTES } = await import(
  pathToFileURL(path.join(root, 'packages/storage-core/dist/index.js')).href
);

/** A config of about `bytes` bytes: one mapping of short keys, the shape that was quadratic. */
function configOf(bytes) {
  let text = 'integrations:\n  claude:\n    sessionStorage:\n      backend: local\nknowledge:\n';
  for (let i = 0; text.length < bytes - 40; i++) text += `  key${i}: value-${i}\n`;
  return text;
}

const project = mkdtempSync(path.join(tmpdir(), 'runbook-bench-config-'));
mkdirSync(path.join(project, '.runbook'), { recursive: true });
const file = path.join(project, '.runbook', 'config.yaml');
const rows = [];
try {
  for (const bytes of [MAX_CONFIG_BYTES / 4, MAX_CONFIG_BYTES / 2, MAX_CONFIG_BYTES, 1_200_000]) {
    const text = configOf(bytes);
    writeFileSync(file, text);
    const times = [];
    let outcome = 'loaded';
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      try {
        await loadRunbookConfig({ projectDir: project, env: {} });
      } catch (error) {
        outcome = `refused: ${error.message.split(': ').slice(1).join(': ')}`;
      }
      times.push(performance.now() - started);
    }
    const hookTimes = [];
    for (let i = 0; i < runs; i++) {
      rmSync(path.join(project, '.runbook', 'cache'), { recursive: true, force: true });
      const started = performance.now();
      spawnSync(process.execPath, [cli, 'integrations', 'claude', 'hook'], {
        cwd: project,
        input: JSON.stringify({ session_id: 'bench', hook_event_name: 'Stop' }),
        env: { ...process.env, CLAUDE_PROJECT_DIR: project },
      });
      hookTimes.push(performance.now() - started);
    }
    rows.push({
      kb: Math.round(text.length / 1024),
      keys: text.split('\n').length - 6,
      loadMs: Math.round(median(times)),
      firstHookMs: Math.round(median(hookTimes)),
      outcome,
    });
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
for (const row of rows)
  console.log(
    `${String(row.kb).padStart(5)} KB  ${String(row.keys).padStart(6)} keys  load ${String(row.loadMs).padStart(5)} ms  first hook ${String(row.firstHookMs).padStart(5)} ms  ${row.outcome}`,
  );
