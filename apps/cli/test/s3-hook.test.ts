import { existsSync, readFileSync } from 'node:fs';
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
import { drainersOf, eventually, hookEvent, processesMentioning, runHook, tempProject } from './helpers/cli.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
});
afterAll(async () => {
  await server?.stop();
});

test('spool (default): the hook keeps the event in the outbox and the mirror; the one drainer it starts uploads it and exits', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({
      endpoint: server.endpoint,
      background: true,
      outboxExtra: ['idleMs: 500'],
    });
    p.config(yaml);
    // The SDK warns about Node 20 unless told not to; that notice must never reach the user's terminal.
    const env = { ...server.env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined };
    const result = await runHook(
      p.dir,
      hookEvent('s3-session', 'UserPromptSubmit', { prompt: 'why is checkout slow?' }),
      [],
      env,
    );
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const mirror = readFileSync(path.join(p.dir, '.runbook/hooks/claude/sessions/s3-session/events.ndjson'), 'utf8');
    expect(
      await eventually(async () => (await storedSession(server.endpoint, prefix, 's3-session')).length === 1, 20_000),
    ).toBe(true);
    const stored = await storedSession(server.endpoint, prefix, 's3-session');
    expect(stored.map((r) => r.payload.prompt)).toEqual(['why is checkout slow?']);
    expect(JSON.parse(mirror).eventId).toBe(stored[0]!.eventId);
    expect(outboxEntries(p.dir)).toEqual([]);
    // Idle, the drainer exits and takes its lock with it.
    expect(await eventually(() => processesMentioning(p.dir).length === 0, 20_000)).toBe(true);
    expect(existsSync(path.join(p.dir, '.runbook/hooks/claude/outbox/.drain.lock'))).toBe(false);
  } finally {
    p.cleanup();
  }
}, 60_000);

test('inline: the event is in the bucket when the hook exits, and nothing waits', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint, upload: 'inline', budgetMs: 10_000 });
    p.config(yaml);
    const result = await runHook(p.dir, hookEvent('inline', 'Stop'), [], server.env());
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await storedSession(server.endpoint, prefix, 'inline')).toHaveLength(1);
    expect(outboxEntries(p.dir)).toEqual([]);
  } finally {
    p.cleanup();
  }
});

test('with mirrorLocal: false nothing of the event stays on local disk once uploaded', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({
      endpoint: server.endpoint,
      mirrorLocal: false,
      background: true,
      outboxExtra: ['idleMs: 300'],
    });
    p.config(yaml);
    const result = await runHook(p.dir, hookEvent('no-mirror', 'Stop'), [], server.env());
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await eventually(() => outboxEntries(p.dir).length === 0, 20_000)).toBe(true);
    expect(await storedSession(server.endpoint, prefix, 'no-mirror')).toHaveLength(1);
    expect(existsSync(path.join(p.dir, '.runbook/hooks/claude/sessions'))).toBe(false);
    expect(await eventually(() => processesMentioning(p.dir).length === 0, 20_000)).toBe(true);
  } finally {
    p.cleanup();
  }
}, 60_000);

test('200 hook processes at once: 200 objects, each once, sent by one drainer at a time, and no process left behind', async () => {
  const p = tempProject();
  const raw = await rawClient(server, CLI_TEST_BUCKET);
  try {
    const { yaml, prefix } = s3ProjectConfig({
      endpoint: server.endpoint,
      mirrorLocal: false,
      background: true,
      outboxExtra: ['idleMs: 1000'],
    });
    p.config(yaml);
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, drainersOf(p.dir).length)), 50);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        runHook(
          p.dir,
          hookEvent('crowd', 'PostToolUse', { tool_name: 'Bash', tool_use_id: `toolu_${i}`, tool_response: { i } }),
          [],
          server.env(),
        ),
      ),
    );
    expect(results.filter((r) => r.code !== 0 || r.stdout !== '' || r.stderr !== '')).toEqual([]);
    const keysOf = () => raw.keys(`${prefix}/sessions/crowd/events/`);
    expect(await eventually(async () => (await keysOf()).length === 200, 60_000, 500)).toBe(true);
    expect(await eventually(() => processesMentioning(p.dir).length === 0, 30_000)).toBe(true);
    clearInterval(watch);
    expect(most).toBe(1);
    expect(await keysOf()).toHaveLength(200);
    const stored = await storedSession(server.endpoint, prefix, 'crowd');
    expect(new Set(stored.map((r) => (r.payload.tool_response as { i: number }).i)).size).toBe(200);
    expect(outboxEntries(p.dir)).toEqual([]);
  } finally {
    raw.close();
    p.cleanup();
  }
}, 240_000);
