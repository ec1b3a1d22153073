import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRecord } from '@runbook/storage-core';
import { createS3Backend } from '../../../packages/storage-s3/src/index.js';
import { rawClient } from '../../../packages/storage-s3/test/helpers/backend.js';
import {
  CLI_TEST_BUCKET,
  s3ProjectConfig,
  storedSession,
} from '../../../packages/storage-s3/test/helpers/s3-project.js';
import {
  startS3Server,
  TEST_CREDENTIALS,
  TEST_REGION,
  type S3TestServer,
} from '../../../packages/storage-s3/test/helpers/s3-server.js';
import { runCli, tempProject, type TempProject } from './helpers/cli.js';

const HOUR = 3_600_000;
let server: S3TestServer;
let raw: Awaited<ReturnType<typeof rawClient>>;
let project: TempProject;
let prefix: string;

/** `count` events of a session, the first `hoursAgo` hours ago, a minute apart. */
async function seed(sessionId: string, count: number, hoursAgo: number): Promise<void> {
  const backend = createS3Backend({
    bucket: CLI_TEST_BUCKET,
    prefix,
    endpoint: server.endpoint,
    region: TEST_REGION,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });
  const start = Date.now() - hoursAgo * HOUR;
  const records = Array.from({ length: count }, (_, i) =>
    createRecord({
      sessionId,
      eventName: i === 0 ? 'UserPromptSubmit' : 'PostToolUse',
      cwd: '/srv/app',
      payload: { session_id: sessionId, prompt: `work on ${sessionId}`, seq: i },
      observedAt: new Date(start + i * 60_000),
    }),
  );
  await Promise.all(records.map((r) => backend.append(r)));
  await backend.close();
}

function cli(args: string[], dir = project.dir) {
  return runCli(['integrations', 'claude', ...args], { cwd: dir, env: server.env() });
}

/** Event objects and segment objects a session has in the bucket. */
async function objects(sessionId: string): Promise<{ events: number; segments: string[] }> {
  const keys = await raw.keys(`${prefix}/sessions/${sessionId}/`);
  return {
    events: keys.filter((k) => k.includes('/events/')).length,
    segments: keys.filter((k) => k.includes('/segments/')),
  };
}

beforeAll(async () => {
  server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
  raw = await rawClient(server, CLI_TEST_BUCKET);
  project = tempProject('runbook-compact-');
  const config = s3ProjectConfig({ endpoint: server.endpoint });
  prefix = config.prefix;
  project.config(config.yaml);
  await seed('busy', 30, 50);
  await seed('stale', 12, 72);
  await seed('fresh', 5, 1);
});
afterAll(async () => {
  project?.cleanup();
  raw?.close();
  await server?.stop();
});

test('compacts one session into a segment; it reads back the same and lists the same', async () => {
  const before = await storedSession(server.endpoint, prefix, 'busy');
  const result = await cli(['compact', 'busy']);
  expect(result).toMatchObject({ code: 0, stdout: 'Compacted busy: merged 30 events into 1 segment.\n', stderr: '' });
  const after = await objects('busy');
  expect(after.events).toBe(0);
  expect(after.segments).toHaveLength(1);
  expect(await storedSession(server.endpoint, prefix, 'busy')).toEqual(before);

  const listed = JSON.parse((await cli(['sessions', 'list', '--json'])).stdout) as Array<{
    sessionId: string;
    eventCount: number;
    firstSeen: string;
    lastSeen: string;
  }>;
  expect(listed.find((s) => s.sessionId === 'busy')).toMatchObject({
    eventCount: 30,
    firstSeen: before[0]!.observedAt,
    lastSeen: before.at(-1)!.observedAt,
  });

  const again = await cli(['compact', 'busy']);
  expect(again).toMatchObject({ code: 0, stdout: 'Nothing to compact in busy.\n' });
});

test('--older-than compacts only sessions last active before the cutoff', async () => {
  const result = await cli(['compact', '--older-than', '1d', '--json']);
  expect(result.code).toBe(0);
  const parsed = JSON.parse(result.stdout) as {
    backend: string;
    cutoff: string;
    sessions: Array<{ sessionId: string; events: number }>;
    totals: Record<string, number>;
    failed: unknown[];
  };
  expect(parsed.backend).toBe('s3');
  expect(Date.now() - Date.parse(parsed.cutoff)).toBeGreaterThanOrEqual(24 * HOUR);
  expect(parsed.sessions.map((s) => s.sessionId).sort()).toEqual(['busy', 'stale']);
  expect(parsed.sessions.find((s) => s.sessionId === 'stale')).toMatchObject({ events: 12, segments: 1, skipped: 0 });
  expect(parsed.totals).toEqual({ sessions: 1, events: 12, segments: 1, skipped: 0 });
  expect(parsed.failed).toEqual([]);
  expect(await objects('stale')).toMatchObject({ events: 0 });
  expect(await objects('fresh')).toEqual({ events: 5, segments: [] });
  expect((await storedSession(server.endpoint, prefix, 'stale')).map((r) => r.payload.seq)).toEqual(
    Array.from({ length: 12 }, (_, i) => i),
  );
});

test('--all compacts every session, with a table of what was merged', async () => {
  const result = await cli(['compact', '--all']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^SESSION\s+EVENTS\s+SEGMENTS\nfresh\s+5\s+1\n/);
  expect(result.stdout).toContain('Compacted 1 of 3 sessions: merged 5 events into 1 segment.\n');
  expect(await objects('fresh')).toMatchObject({ events: 0 });
});

test('an unknown session is an error', async () => {
  const result = await cli(['compact', 'no-such-session']);
  expect(result).toMatchObject({ code: 1, stdout: '' });
  expect(result.stderr).toBe(
    'runbook: no session "no-such-session" in s3 storage; see: runbook integrations claude sessions list\n',
  );
});

test('a backend without compaction says so in one line and exits 1', async () => {
  const local = tempProject('runbook-compact-local-');
  try {
    const result = await cli(['compact', '--all'], local.dir);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      'runbook: backend local cannot compact sessions (it stores each session in one place already); nothing to do\n',
    );
  } finally {
    local.cleanup();
  }
});

test('usage errors exit 2', async () => {
  for (const args of [[], ['busy', '--all'], ['busy', '--older-than', '1d'], ['--older-than', 'yesterday']]) {
    const result = await cli(['compact', ...args]);
    expect(result.code, args.join(' ')).toBe(2);
    expect(result.stderr, args.join(' ')).toMatch(/error: |expected an age/);
  }
});
