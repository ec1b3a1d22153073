import { afterAll, beforeAll, expect, test } from 'vitest';
import { rawClient } from '../../../packages/storage-s3/test/helpers/backend.js';
import { startS3Server, type S3TestServer } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import {
  CLI_TEST_BUCKET,
  outboxEntries,
  s3ProjectConfig,
  storedSession,
} from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  drainersOf,
  eventually,
  hookEvent,
  processesMentioning,
  runCli,
  runHook,
  tempProject,
  type TempProject,
} from './helpers/cli.js';

let server: S3TestServer;
let raw: Awaited<ReturnType<typeof rawClient>>;
beforeAll(async () => {
  server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
  raw = await rawClient(server, CLI_TEST_BUCKET);
});
afterAll(async () => {
  raw?.close();
  await server?.stop();
});

interface SyncSummary {
  sent: number;
  alreadyStored: number;
  failed: number;
  remaining: number;
}

async function sync(
  p: TempProject,
  args: string[] = [],
): Promise<{ code: number | null; summary: SyncSummary; stderr: string }> {
  const result = await runCli(['integrations', 'claude', 'sync', '--json', ...args], {
    cwd: p.dir,
    env: { ...server.env(), CLAUDE_PROJECT_DIR: p.dir },
  });
  return { code: result.code, summary: JSON.parse(result.stdout) as SyncSummary, stderr: result.stderr };
}

/** Hooks during an outage, a few at a time (as parallel tool calls run them); how fast they are is bench:s3's to measure. */
async function hooksDuringOutage(p: TempProject, sessionId: string, count: number) {
  const results = [];
  for (let i = 0; i < count; i += 2) {
    const batch = Array.from({ length: Math.min(2, count - i) }, (_, j) =>
      runHook(
        p.dir,
        hookEvent(sessionId, 'PostToolUse', {
          tool_name: 'Read',
          tool_use_id: `toolu_${i + j}`,
          tool_response: { i: i + j },
        }),
        [],
        server.env(),
      ),
    );
    results.push(...(await Promise.all(batch)));
  }
  for (const r of results) {
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  }
  return results;
}

test('server stopped: each hook exits 0 with its event in the outbox; back up, sync sends each exactly once', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint });
    p.config(yaml);
    await server.down();
    const results = await hooksDuringOutage(p, 'outage', 8);
    // Spool-first: the hook never contacts the server, so an outage is nothing it has to report.
    for (const r of results) expect(r.stderr).toBe('');
    expect(outboxEntries(p.dir)).toHaveLength(8);

    const whileDown = await sync(p);
    expect(whileDown.code).toBe(1);
    expect(whileDown.summary).toMatchObject({ sent: 0, remaining: 8 });

    await server.up();
    const first = await sync(p);
    expect(first).toMatchObject({ code: 0, summary: { sent: 8, alreadyStored: 0, failed: 0, remaining: 0 } });
    expect(first.stderr).toBe('');
    const again = await sync(p);
    expect(again).toMatchObject({ code: 0, summary: { sent: 0, remaining: 0 } });
    expect(await raw.keys(`${prefix}/sessions/outage/events/`)).toHaveLength(8);
    const stored = await storedSession(server.endpoint, prefix, 'outage');
    expect(stored.map((r) => (r.payload.tool_response as { i: number }).i).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(outboxEntries(p.dir)).toEqual([]);
  } finally {
    await server.up();
    p.cleanup();
  }
}, 120_000);

test('server hung (accepts, never answers): each hook exits 0 with its event in the outbox; then sync sends each once', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint });
    p.config(yaml);
    await server.hang();
    await hooksDuringOutage(p, 'hung', 4);
    expect(outboxEntries(p.dir)).toHaveLength(4);
    await server.up();
    expect(await sync(p)).toMatchObject({ code: 0, summary: { sent: 4, remaining: 0 } });
    expect(await raw.keys(`${prefix}/sessions/hung/events/`)).toHaveLength(4);
  } finally {
    await server.up();
    p.cleanup();
  }
}, 120_000);

test('two syncs at once, while inline hooks keep uploading, store every event once', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint, budgetMs: 10_000, upload: 'inline' });
    p.config(yaml);
    await server.down();
    await hooksDuringOutage(p, 'race', 12);
    await server.up();
    const [a, b] = await Promise.all([
      sync(p),
      sync(p, ['--concurrency', '2']),
      ...Array.from({ length: 4 }, (_, i) =>
        runHook(
          p.dir,
          hookEvent('race', 'PostToolUse', { tool_use_id: `late_${i}`, tool_response: { i: 100 + i } }),
          [],
          server.env(),
        ),
      ),
    ]);
    expect(a!.code).toBe(0);
    expect(b!.code).toBe(0);
    expect(await raw.keys(`${prefix}/sessions/race/events/`)).toHaveLength(16);
    const ids = (await storedSession(server.endpoint, prefix, 'race')).map((r) => r.eventId);
    expect(new Set(ids).size).toBe(16);
    expect(outboxEntries(p.dir)).toEqual([]);
  } finally {
    await server.up();
    p.cleanup();
  }
}, 120_000);

test('outage and recovery: hooks during an outage start one drainer, which sends everything once the server is back, without another hook, then exits', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({
      endpoint: server.endpoint,
      background: true,
      outboxExtra: ['idleMs: 300', 'retryMaxMs: 1000'],
    });
    p.config(yaml);
    await server.down();
    await hooksDuringOutage(p, 'background', 6);
    expect(await eventually(() => drainersOf(p.dir).length === 1, 10_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Still one, retrying: the hooks found it alive and started no other.
    expect(drainersOf(p.dir)).toHaveLength(1);
    expect(outboxEntries(p.dir)).toHaveLength(6);
    await server.up();
    expect(await eventually(() => outboxEntries(p.dir).length === 0, 20_000)).toBe(true);
    expect(await raw.keys(`${prefix}/sessions/background/events/`)).toHaveLength(6);
    expect(await eventually(() => processesMentioning(p.dir).length === 0, 20_000)).toBe(true);
    expect(existsSync(path.join(p.dir, '.runbook/hooks/claude/outbox/.drain.lock'))).toBe(false);
  } finally {
    await server.up();
    p.cleanup();
  }
}, 90_000);
