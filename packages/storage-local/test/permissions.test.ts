import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createRecord } from '@runbook/storage-core';
import { createLocalBackend, sessionFile } from '../src/index.js';

// Session data holds whatever the agent saw: what the backend creates is readable by its owner only,
// whatever the process umask allows.

const mode = (p: string) => statSync(p).mode & 0o777;
const event = (sessionId: string) =>
  createRecord({ sessionId, eventName: 'Stop', payload: { session_id: sessionId, hook_event_name: 'Stop' } });

const savedUmask = process.umask();
afterEach(() => {
  process.umask(savedUmask);
});

/** Every directory from `dir` down to (not including) `stop`. */
function dirsBetween(stop: string, dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d !== stop; d = path.dirname(d)) out.push(d);
  return out;
}

describe('modes of what the local backend creates', () => {
  test.each([
    ['a permissive umask (000)', 0o000],
    ['the usual umask (022)', 0o022],
    ['a group-friendly umask (002)', 0o002],
  ])('with %s: directories 0700, events file 0600, parents created on the way included', async (_name, umask) => {
    const root = mkdtempSync(path.join(tmpdir(), 'runbook-modes-'));
    process.umask(umask);
    const baseDir = path.join(root, 'project', '.runbook', 'hooks', 'claude');
    const backend = createLocalBackend({ baseDir });
    await backend.append(event('s-1'));
    const file = sessionFile(baseDir, 's-1');
    expect(mode(file)).toBe(0o600);
    const created = dirsBetween(root, path.dirname(file));
    expect(created.map((d) => path.relative(root, d))).toEqual([
      'project/.runbook/hooks/claude/sessions/s-1',
      'project/.runbook/hooks/claude/sessions',
      'project/.runbook/hooks/claude',
      'project/.runbook/hooks',
      'project/.runbook',
      'project',
    ]);
    for (const dir of created)
      expect([path.relative(root, dir), mode(dir).toString(8)]).toEqual([path.relative(root, dir), '700']);
  });

  test('a second session in an existing base directory gets the same modes', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'runbook-modes-'));
    process.umask(0);
    const backend = createLocalBackend({ baseDir: root });
    await backend.append(event('s-1'));
    await backend.append(event('a session/with ../odd characters'));
    const file = sessionFile(root, 'a session/with ../odd characters');
    expect(path.dirname(path.dirname(file))).toBe(path.join(root, 'sessions'));
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
  });

  test('directories that already exist keep the mode their owner gave them', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'runbook-modes-'));
    process.umask(0o022);
    mkdirSync(path.join(root, 'shared'), { mode: 0o755 });
    const backend = createLocalBackend({ baseDir: path.join(root, 'shared', 'hooks') });
    await backend.append(event('s-1'));
    expect(mode(path.join(root, 'shared'))).toBe(0o755);
    expect(mode(path.join(root, 'shared', 'hooks'))).toBe(0o700);
  });
});
