import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

let project: TempProject;
beforeEach(() => {
  project = tempProject('runbook-config-limits-');
});
afterEach(() => project.cleanup());

const huge = () => `knowledge:\n${Array.from({ length: 60_000 }, (_, i) => `  key${i}: value${i}\n`).join('')}`;

test('a 1 MB config: the hook keeps the event in the default directory and says why in one line', async () => {
  project.config(huge());
  const hook = await runHook(project.dir, hookEvent('kept', 'Stop'));
  expect(hook.code).toBe(0);
  expect(hook.stdout).toBe('');
  expect(hook.stderr).toMatch(
    /^runbook: .*config\.yaml: is 1\.\d MB; a config file may be at most 256 KB; keeping the event in .*\.runbook\/hooks\/claude\n$/,
  );
  expect(readdirSync(path.join(project.dir, '.runbook/hooks/claude/sessions'))).toEqual(['kept']);
  const status = await runCli(['integrations', 'claude', 'status'], { cwd: project.dir });
  expect(status.code).toBe(1);
  expect(status.stderr).toMatch(/a config file may be at most 256 KB\n$/);
});

test('an edit that keeps the size and the mtime reaches the next hook', async () => {
  const file = path.join(project.dir, '.runbook', 'config.yaml');
  const stamp = new Date('2026-11-29T10:00:00Z');
  const { utimesSync } = await import('node:fs');
  project.config('integrations:\n  claude:\n    sessionStorage:\n      localBaseDir: store-a\n');
  utimesSync(file, stamp, stamp);
  expect(await runHook(project.dir, hookEvent('one', 'Stop'))).toMatchObject({ code: 0, stderr: '' });
  writeFileSync(file, 'integrations:\n  claude:\n    sessionStorage:\n      localBaseDir: store-b\n');
  utimesSync(file, stamp, stamp);
  expect(await runHook(project.dir, hookEvent('two', 'Stop'))).toMatchObject({ code: 0, stderr: '' });
  expect(readdirSync(path.join(project.dir, 'store-a/sessions'))).toEqual(['one']);
  expect(readdirSync(path.join(project.dir, 'store-b/sessions'))).toEqual(['two']);
});
