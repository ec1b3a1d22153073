import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createS3Backend } from '@runbook/storage-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startS3Server,
  TEST_CREDENTIALS,
  TEST_REGION,
  type S3TestServer,
} from '../../storage-s3/test/helpers/s3-server.js';
import { openSessionIndex, scanSearch, similarSessions } from '../src/index.js';
import { incidentSession, INCIDENTS, noiseSessions, SessionScript, tempProject } from './helpers/corpus.js';

let server: S3TestServer;
const project = tempProject();

beforeAll(async () => {
  server = await startS3Server({ buckets: ['runbook-index-test'] });
});
afterAll(async () => {
  await server?.stop();
  project.remove();
});

const s3 = (prefix: string) =>
  createS3Backend({
    bucket: 'runbook-index-test',
    prefix,
    endpoint: server.endpoint,
    region: TEST_REGION,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });

describe('index over the s3 backend', () => {
  it('builds from listings and reads, then adds only new events, and finds the incident from each occurrence', async () => {
    const backend = s3(`t/${randomUUID()}`);
    await incidentSession('incident-a', INCIDENTS[0]!.start, INCIDENTS[0]!.variant).store(backend);
    await incidentSession('incident-b', INCIDENTS[1]!.start, INCIDENTS[1]!.variant).store(backend);
    for (const session of noiseSessions().slice(0, 2)) await session.store(backend);
    const index = openSessionIndex({ dir: path.join(project.dir, 'index'), backend, projectDir: project.dir });
    expect(await index.update()).toMatchObject({ rebuilt: true, sessionsRead: 4 });
    expect(await index.update()).toMatchObject({ sessionsRead: 0, added: 0 });

    await incidentSession('incident-c', INCIDENTS[2]!.start, INCIDENTS[2]!.variant).store(backend);
    await new SessionScript('incident-a', '2026-11-01T18:00:00Z')
      .prompt('billing-stripe is fine again, write it up')
      .store(backend);
    const update = await index.update();
    expect(update).toMatchObject({ rebuilt: false, sessionsRead: 2, added: 13 });

    expect(new Set(index.search('ECONNREFUSED', { kinds: ['event'] }).hits.map((h) => h.sessionId))).toEqual(
      new Set(['incident-a', 'incident-b', 'incident-c']),
    );
    const profiles = index.profiles();
    for (const id of ['incident-a', 'incident-b', 'incident-c']) {
      const similar = similarSessions(profiles.find((p) => p.sessionId === id)!, profiles);
      expect(
        similar
          .slice(0, 2)
          .map((s) => s.sessionId)
          .sort(),
      ).toEqual(['incident-a', 'incident-b', 'incident-c'].filter((x) => x !== id));
    }
    const scanned = await scanSearch({ backend, projectDir: project.dir }, 'billing-stripe', { limit: 50 });
    expect(scanned.hits.map((h) => h.ref)).toEqual(
      index.search('billing-stripe', { limit: 50 }).hits.map((h) => h.ref),
    );
    index.close();
    await backend.close?.();
  });
});
