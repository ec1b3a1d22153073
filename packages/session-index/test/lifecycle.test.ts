import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRecord } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSessionIndex } from '../src/index.js';
import { incidentSession, INCIDENTS, SessionScript, tempProject } from './helpers/corpus.js';

let project: ReturnType<typeof tempProject>;
let baseDir: string;
let indexDir: string;

beforeEach(() => {
  project = tempProject();
  baseDir = path.join(project.dir, '.runbook/hooks/claude');
  indexDir = path.join(baseDir, 'index');
});
afterEach(() => project.remove());

const open = () =>
  openSessionIndex({ dir: indexDir, backend: createLocalBackend({ baseDir }), projectDir: project.dir });

describe('index lifecycle', () => {
  it('adds only what is new on each update, and rebuilds the same results after the index is deleted', async () => {
    const backend = createLocalBackend({ baseDir });
    await incidentSession('incident-a', INCIDENTS[0]!.start, INCIDENTS[0]!.variant).store(backend);
    const index = open();
    const first = await index.update();
    expect(first).toMatchObject({ rebuilt: true, sessionsRead: 1, busy: false });
    expect(await index.update()).toMatchObject({ rebuilt: false, sessionsRead: 0, added: 0 });

    await new SessionScript('incident-a', '2026-11-01T12:00:00Z')
      .failed('kubectl rollout status deploy/billing-stripe', 'error: timed out waiting for the condition')
      .store(backend);
    await incidentSession('incident-b', INCIDENTS[1]!.start, INCIDENTS[1]!.variant).store(backend);
    const second = await index.update();
    expect(second).toMatchObject({ rebuilt: false, sessionsRead: 2 });
    expect(second.added).toBe(2 + 12);
    const before = index.search('billing-stripe', { limit: 100 });
    expect(index.search('"timed out waiting"').hits.map((h) => h.sessionId)).toEqual(['incident-a']);
    index.close();

    rmSync(indexDir, { recursive: true, force: true });
    const again = open();
    expect(again.search('billing-stripe').hits).toEqual([]);
    expect(await again.update()).toMatchObject({ rebuilt: true, sessionsRead: 2 });
    expect(again.search('billing-stripe', { limit: 100 })).toEqual(before);
    again.close();
  });

  it('rebuilds when a session disappears from storage, so pruned sessions stop matching', async () => {
    const backend = createLocalBackend({ baseDir });
    await incidentSession('incident-a', INCIDENTS[0]!.start, INCIDENTS[0]!.variant).store(backend);
    await incidentSession('incident-b', INCIDENTS[1]!.start, INCIDENTS[1]!.variant).store(backend);
    const index = open();
    await index.update();
    await backend.delete!('incident-a');
    expect(await index.update()).toMatchObject({ rebuilt: true });
    expect(new Set(index.search('ECONNREFUSED').hits.map((h) => h.sessionId))).toEqual(new Set(['incident-b']));
    expect(index.profiles().map((p) => p.sessionId)).toEqual(['incident-b']);
    index.close();
  });

  it('indexes every event exactly once while another process keeps appending', async () => {
    const storageLocal = pathToFileURL(fileURLToPath(import.meta.resolve('@runbook/storage-local'))).href;
    const storageCore = pathToFileURL(fileURLToPath(import.meta.resolve('@runbook/storage-core'))).href;
    const total = 300;
    const script = `
      const { createLocalBackend } = await import(${JSON.stringify(storageLocal)});
      const { createRecord } = await import(${JSON.stringify(storageCore)});
      const backend = createLocalBackend({ baseDir: ${JSON.stringify(baseDir)} });
      for (let i = 0; i < ${total}; i++) {
        await backend.append(createRecord({ sessionId: 'busy-' + (i % 3), eventName: 'PostToolUse', payload: { tool_name: 'Bash', tool_input: { command: 'echo marker' + i }, tool_response: { stdout: 'marker' + i } } }));
        if (i % 25 === 0) await new Promise((r) => setTimeout(r, 5));
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const index = open();
    let done = false;
    void exited.then(() => (done = true));
    let updates = 0;
    while (!done) {
      await index.update();
      updates++;
    }
    expect(await exited).toBe(0);
    await index.update();
    expect(updates).toBeGreaterThan(1);
    for (let i = 0; i < total; i++) {
      const { hits } = index.search(`marker${i}`, { limit: 10 });
      expect(hits.length, `marker${i}`).toBe(1);
    }
    index.close();
  });

  it('indexes learning artifacts and runbooks, and re-indexes them when they change', async () => {
    const backend = createLocalBackend({ baseDir });
    await backend.append(
      createRecord({ sessionId: 's1', eventName: 'UserPromptSubmit', payload: { prompt: 'hello' } }),
    );
    const dir = path.join(project.dir, '.runbook/learning/inv-s1');
    mkdirSync(dir, { recursive: true });
    const postmortem = path.join(dir, 'postmortem.md');
    writeFileSync(
      postmortem,
      '---\nsource_session: s1\n---\n# Ledger pool exhausted\n\nRoot cause: pgbouncer max_client_conn too low.\n',
    );
    const index = open();
    await index.update();
    const hit = index.search('pgbouncer').hits[0]!;
    expect(hit).toMatchObject({
      kind: 'learning',
      eventName: 'postmortem',
      sessionId: 's1',
      ref: '.runbook/learning/inv-s1/postmortem.md',
    });

    writeFileSync(
      postmortem,
      '---\nsource_session: s1\n---\n# Ledger pool exhausted\n\nRoot cause: the ledger-db connection limit.\n',
    );
    await index.update();
    expect(index.search('pgbouncer').hits).toEqual([]);
    expect(index.search('"connection limit"').hits).toHaveLength(1);
    index.close();
    // Replaced segments are removed from disk.
    const segments = readdirSync(indexDir).filter((n) => n.endsWith('.post'));
    expect(segments.length).toBeLessThanOrEqual(3);
  });

  it('removes what an update that died left behind, and keeps working', async () => {
    const backend = createLocalBackend({ baseDir });
    await backend.append(
      createRecord({ sessionId: 's1', eventName: 'UserPromptSubmit', payload: { prompt: 'first' } }),
    );
    const index = open();
    await index.update();
    // A segment written but never named in the manifest, and a half-written manifest copy.
    for (const ext of ['json', 'dict', 'cols', 'post', 'text'])
      writeFileSync(path.join(indexDir, `e-dead-000000.${ext}`), 'partial');
    writeFileSync(path.join(indexDir, 'manifest.json.4242.abcd.tmp'), '{"format":');
    await backend.append(
      createRecord({ sessionId: 's1', eventName: 'UserPromptSubmit', payload: { prompt: 'second' } }),
    );
    await index.update();
    const left = readdirSync(indexDir);
    expect(left.filter((n) => n.includes('dead') || n.endsWith('.tmp'))).toEqual([]);
    expect(index.search('second').hits).toHaveLength(1);
    expect(index.search('first').hits).toHaveLength(1);
    index.close();
  });

  it('keeps the number of segments bounded by merging small ones', async () => {
    const backend = createLocalBackend({ baseDir });
    const index = open();
    for (let round = 0; round < 12; round++) {
      await backend.append(
        createRecord({
          sessionId: `round-${round}`,
          eventName: 'UserPromptSubmit',
          payload: { prompt: `deploy round${round}` },
        }),
      );
      await index.update();
    }
    expect(readdirSync(indexDir).filter((n) => n.startsWith('e-') && n.endsWith('.post')).length).toBeLessThanOrEqual(
      9,
    );
    expect(index.search('deploy', { limit: 50 }).hits).toHaveLength(12);
    expect(index.search('round11').hits.map((h) => h.sessionId)).toEqual(['round-11']);
    expect(existsSync(path.join(indexDir, 'index.lock'))).toBe(false);
    index.close();
  });
});
