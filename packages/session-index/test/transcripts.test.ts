import path from 'node:path';
import { createRecord } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { afterAll, describe, expect, it } from 'vitest';
import { openSessionIndex, scanSearch } from '../src/index.js';
import { tempProject } from './helpers/corpus.js';

const project = tempProject();
afterAll(() => project.remove());

const line = (type: string, text: string, at: string) =>
  `${JSON.stringify({ type, timestamp: at, uuid: `${type}-${at}`, message: { role: type, content: [{ type: 'text', text }] } })}\n`;

describe('archived transcripts', () => {
  it('indexes user and assistant messages of archived transcripts, each line once', async () => {
    const backend = createLocalBackend({ baseDir: path.join(project.dir, '.runbook/hooks/claude') });
    await backend.append(
      createRecord({
        sessionId: 'tx-1',
        eventName: 'UserPromptSubmit',
        observedAt: new Date('2026-11-10T10:00:00Z'),
        payload: { prompt: 'why is checkout slow' },
      }),
    );
    const first =
      line('user', 'why is checkout slow', '2026-11-10T10:00:00Z') +
      line('assistant', 'The pgbouncer pool is saturated: raise default_pool_size.', '2026-11-10T10:01:00Z') +
      `${JSON.stringify({ type: 'system', content: 'pgbouncer bookkeeping' })}\n`;
    await backend.appendTranscript!({
      sessionId: 'tx-1',
      file: 'main',
      generation: 0,
      offset: 0,
      length: Buffer.byteLength(first),
      text: first,
    });
    const index = openSessionIndex({ dir: path.join(project.dir, 'index'), backend, projectDir: project.dir });
    await index.update();
    const hits = index.search('pgbouncer').hits;
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      kind: 'transcript',
      sessionId: 'tx-1',
      eventName: 'transcript main',
      ref: expect.stringMatching(/^t:main:0:\d+$/),
      time: '2026-11-10T10:01:00.000Z',
    });

    const second = line(
      'assistant',
      'Raised default_pool_size to 40; pgbouncer latency is back to normal.',
      '2026-11-10T10:05:00Z',
    );
    await backend.appendTranscript!({
      sessionId: 'tx-1',
      file: 'main',
      generation: 0,
      offset: Buffer.byteLength(first),
      length: Buffer.byteLength(second),
      text: second,
    });
    await backend.append(
      createRecord({ sessionId: 'tx-1', eventName: 'Stop', observedAt: new Date('2026-11-10T10:06:00Z'), payload: {} }),
    );
    const update = await index.update();
    expect(update.added).toBe(2);
    expect(index.search('pgbouncer', { kinds: ['transcript'] }).hits).toHaveLength(2);
    expect(index.search('"default_pool_size to 40"').hits.map((h) => h.kind)).toEqual(['transcript']);
    const scanned = await scanSearch({ backend, projectDir: project.dir }, 'pgbouncer', { kinds: ['transcript'] });
    expect(scanned.hits.map((h) => h.ref)).toEqual(
      index.search('pgbouncer', { kinds: ['transcript'] }).hits.map((h) => h.ref),
    );
    index.close();
  });
});
