import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rawClient } from '../../../packages/storage-s3/test/helpers/backend.js';
import { startS3Server, type S3TestServer } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import { CLI_TEST_BUCKET, outboxEntries, s3ProjectConfig, storedSession } from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { hookEvent, runCli, runHook, tempProject } from './helpers/cli.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
});
afterAll(async () => {
  await server?.stop();
});

test('a hook stores the event as one object, keeps the local mirror and leaves nothing waiting', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint });
    p.config(yaml);
    // The SDK warns about Node 20 unless told not to; that notice must never reach the user's terminal.
    const env = { ...server.env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined };
    const result = await runHook(p.dir, hookEvent('s3-session', 'UserPromptSubmit', { prompt: 'why is checkout slow?' }), [], env);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const stored = await storedSession(server.endpoint, prefix, 's3-session');
    expect(stored.map((r) => r.payload.prompt)).toEqual(['why is checkout slow?']);
    const mirror = readFileSync(path.join(p.dir, '.runbook/hooks/claude/sessions/s3-session/events.ndjson'), 'utf8');
    expect(JSON.parse(mirror).eventId).toBe(stored[0]!.eventId);
    expect(outboxEntries(p.dir)).toEqual([]);
  } finally {
    p.cleanup();
  }
});

test('with mirrorLocal: false nothing of the event stays on local disk once uploaded', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint, mirrorLocal: false });
    p.config(yaml);
    const result = await runHook(p.dir, hookEvent('no-mirror', 'Stop'), [], server.env());
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await storedSession(server.endpoint, prefix, 'no-mirror')).toHaveLength(1);
    expect(existsSync(path.join(p.dir, '.runbook/hooks/claude/sessions'))).toBe(false);
    expect(outboxEntries(p.dir)).toEqual([]);
  } finally {
    p.cleanup();
  }
});

test('200 hook processes on one session store 200 distinct events', async () => {
  const p = tempProject();
  const raw = await rawClient(server, CLI_TEST_BUCKET);
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint, mirrorLocal: false });
    p.config(yaml);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => runHook(p.dir, hookEvent('crowd', 'PostToolUse', { tool_name: 'Bash', tool_use_id: `toolu_${i}`, tool_response: { i } }), [], server.env())),
    );
    expect(results.filter((r) => r.code !== 0 || r.stdout !== '')).toEqual([]);
    // 200 processes on a small machine overrun the upload budget; what they left waits in the outbox.
    const sync = await runCli(['integrations', 'claude', 'sync', '--json'], { cwd: p.dir, env: { ...server.env(), CLAUDE_PROJECT_DIR: p.dir } });
    expect(sync).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(sync.stdout)).toMatchObject({ remaining: 0, failed: 0 });
    const keys = await raw.keys(`${prefix}/sessions/crowd/events/`);
    expect(keys).toHaveLength(200);
    const stored = await storedSession(server.endpoint, prefix, 'crowd');
    expect(new Set(stored.map((r) => (r.payload.tool_response as { i: number }).i)).size).toBe(200);
    expect(outboxEntries(p.dir)).toEqual([]);
  } finally {
    raw.close();
    p.cleanup();
  }
}, 240_000);
