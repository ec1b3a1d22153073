import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rawClient } from '../../../packages/storage-s3/test/helpers/backend.js';
import { startS3Server, type S3TestServer } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import {
  CLI_TEST_BUCKET,
  outboxEntries,
  s3ProjectConfig,
  storedSession,
} from '../../../packages/storage-s3/test/helpers/s3-project.js';
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

const OUTBOX = '.runbook/hooks/claude/outbox';

function hooks(p: TempProject, sessionId: string, from: number, count: number, eventName = 'PostToolUse') {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      runHook(
        p.dir,
        hookEvent(sessionId, eventName, { tool_use_id: `toolu_${from + i}`, tool_response: { i: from + i } }),
        [],
        server.env(),
      ),
    ),
  );
}

function drainState(p: TempProject): { pid: number; retryAt?: string } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(p.dir, OUTBOX, '.drain.state'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Stop whatever a failed test left running for this project (only processes naming its directory). */
function killLeftovers(p: TempProject): void {
  for (const { pid } of processesMentioning(p.dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

test('hooks racing to start a drainer start one; a Stop hook wakes it from its retry wait', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({
      endpoint: server.endpoint,
      mirrorLocal: false,
      background: true,
      outboxExtra: ['idleMs: 300', 'retryMaxMs: 60000'],
    });
    p.config(yaml);
    await server.down();
    const seen = new Set<number>();
    const watch = setInterval(() => {
      for (const d of drainersOf(p.dir)) seen.add(d.pid);
    }, 25);
    const results = await hooks(p, 'race', 0, 12);
    expect(results.filter((r) => r.code !== 0 || r.stderr !== '')).toEqual([]);
    // Backing off: wait until its next try is more than 3 s away.
    expect(await eventually(() => Date.parse(drainState(p)?.retryAt ?? '') - Date.now() > 3_000, 20_000)).toBe(true);
    clearInterval(watch);
    expect(seen.size).toBe(1);
    expect(drainersOf(p.dir).map((d) => d.pid)).toEqual([...seen]);
    const retryAt = Date.parse(drainState(p)!.retryAt!);

    await server.up();
    await runHook(p.dir, hookEvent('race', 'Stop'), [], server.env());
    expect(await eventually(() => outboxEntries(p.dir).length === 0, 20_000, 50)).toBe(true);
    expect(Date.now()).toBeLessThan(retryAt);
    expect(await raw.keys(`${prefix}/sessions/race/events/`)).toHaveLength(13);
    expect(await eventually(() => processesMentioning(p.dir).length === 0, 20_000)).toBe(true);
  } finally {
    await server.up();
    killLeftovers(p);
    p.cleanup();
  }
}, 90_000);

test('a drainer killed with SIGKILL mid-upload: the drainer the next hook starts sends everything, each once', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({
      endpoint: server.endpoint,
      mirrorLocal: false,
      background: true,
      s3Extra: ['requestTimeoutMs: 60000'],
      outboxExtra: ['idleMs: 300'],
    });
    p.config(yaml);
    await server.hang();
    await hooks(p, 'killed', 0, 4);
    expect(await eventually(() => drainersOf(p.dir).length === 1, 10_000)).toBe(true);
    const [drainer] = drainersOf(p.dir);
    // Uploads are in flight (the server holds them): kill it there.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    process.kill(drainer!.pid, 'SIGKILL');
    expect(await eventually(() => drainersOf(p.dir).length === 0, 10_000)).toBe(true);
    expect(outboxEntries(p.dir)).toHaveLength(4);

    await server.up();
    await hooks(p, 'killed', 4, 1);
    expect(await eventually(() => outboxEntries(p.dir).length === 0, 30_000)).toBe(true);
    expect(await raw.keys(`${prefix}/sessions/killed/events/`)).toHaveLength(5);
    const stored = await storedSession(server.endpoint, prefix, 'killed');
    expect(stored.map((r) => (r.payload.tool_response as { i: number }).i).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await eventually(() => processesMentioning(p.dir).length === 0, 20_000)).toBe(true);
    const sync = await runCli(['integrations', 'claude', 'sync', '--json'], {
      cwd: p.dir,
      env: { ...server.env(), CLAUDE_PROJECT_DIR: p.dir },
    });
    expect(JSON.parse(sync.stdout)).toMatchObject({ sent: 0, remaining: 0 });
  } finally {
    await server.up();
    killLeftovers(p);
    p.cleanup();
  }
}, 90_000);

test('a drainer stuck on a hung server keeps its lock alive (no second drainer beside it) and exits at the end of its lifetime', async () => {
  const p = tempProject();
  try {
    const { yaml } = s3ProjectConfig({
      endpoint: server.endpoint,
      mirrorLocal: false,
      background: true,
      s3Extra: ['requestTimeoutMs: 60000'],
      outboxExtra: ['lifetimeMs: 12000'],
    });
    p.config(yaml);
    await server.hang();
    await hooks(p, 'stuck', 0, 2);
    expect(await eventually(() => drainersOf(p.dir).length === 1, 10_000)).toBe(true);
    const lock = path.join(p.dir, OUTBOX, '.drain.lock');
    const before = statSync(lock).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // two heartbeats
    expect(statSync(lock).mtimeMs).toBeGreaterThan(before);
    await hooks(p, 'stuck', 2, 3);
    expect(drainersOf(p.dir)).toHaveLength(1);
    // Its lifetime ends with the uploads still hanging: it exits anyway, and the events wait.
    expect(await eventually(() => processesMentioning(p.dir).length === 0, 20_000)).toBe(true);
    expect(outboxEntries(p.dir)).toHaveLength(5);
  } finally {
    await server.up();
    killLeftovers(p);
    p.cleanup();
  }
}, 60_000);
