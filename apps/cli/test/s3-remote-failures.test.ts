import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startS3Server, type S3TestServer } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import {
  CLI_TEST_BUCKET,
  outboxEntries,
  s3ProjectConfig,
  storedSession,
} from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { hookEvent, runCli, runHook, tempProject } from './helpers/cli.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
});
afterAll(async () => {
  await server?.stop();
});

test('S3 answering 503: the hook sends it no request at all and keeps the event', async () => {
  let requests = 0;
  const busy = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(503, { 'content-type': 'application/xml' });
    res.end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
  });
  busy.listen(0, '127.0.0.1');
  await once(busy, 'listening');
  const p = tempProject();
  try {
    const { yaml } = s3ProjectConfig({ endpoint: `http://127.0.0.1:${(busy.address() as { port: number }).port}` });
    p.config(yaml);
    const results = await Promise.all(
      [0, 1, 2].map((i) =>
        runHook(p.dir, hookEvent('busy', 'PostToolUse', { tool_use_id: `toolu_${i}` }), [], server.env()),
      ),
    );
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [0, '', ''],
      [0, '', ''],
      [0, '', ''],
    ]);
    expect(requests).toBe(0);
    expect(outboxEntries(p.dir)).toHaveLength(3);
  } finally {
    busy.closeAllConnections();
    busy.close();
    p.cleanup();
  }
});

test('server hung (accepts, never answers), no timeouts configured: sync, status and sessions list give up with an error instead of hanging', async () => {
  const p = tempProject();
  try {
    const { yaml } = s3ProjectConfig({ endpoint: server.endpoint });
    p.config(yaml);
    await runHook(p.dir, hookEvent('hung', 'Stop'), [], server.env());
    await server.hang();
    const env = { ...server.env(), CLAUDE_PROJECT_DIR: p.dir };
    // The guard only keeps a failing test from hanging the suite; each command must end well before it.
    const guard = { cwd: p.dir, env, timeoutMs: 110_000 };
    const [sync, status, list] = await Promise.all([
      runCli(['integrations', 'claude', 'sync', '--json'], guard),
      runCli(['integrations', 'claude', 'status', '--json'], guard),
      runCli(['integrations', 'claude', 'sessions', 'list'], guard),
    ]);
    expect(sync.code).toBe(1);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      sent: 0,
      failed: 1,
      remaining: 1,
      errors: [expect.stringMatching(/^cannot write s3:\/\/.*timed out/)],
    });
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({
      outbox: { pending: 1 },
      problems: [expect.stringMatching(/s3:\/\//)],
    });
    expect(list.code).toBe(1);
    expect(list.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^runbook: .*s3:\/\//)]);
    await server.up();
  } finally {
    await server.up();
    p.cleanup();
  }
}, 120_000);

test('events kept while the config could not be read are seen by status and doctor and sent by sync once it is fixed', async () => {
  const p = tempProject();
  try {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint });
    p.config(yaml.replace('      backend: s3', '      backend: [s3'));
    const hook = await runHook(
      p.dir,
      hookEvent('kept', 'UserPromptSubmit', { prompt: 'is the queue stuck?' }),
      [],
      server.env(),
    );
    expect(hook.code).toBe(0);
    expect(hook.stderr).toMatch(/keeping the event in /);

    // Fixed, and with its own local base directory: the kept event is found in the default one all the same.
    p.config(yaml.replace('      mirrorLocal:', '      localBaseDir: .runbook/data\n      mirrorLocal:'));
    const env = { ...server.env(), CLAUDE_PROJECT_DIR: p.dir };
    const status = JSON.parse(
      (await runCli(['integrations', 'claude', 'status', '--json'], { cwd: p.dir, env })).stdout,
    );
    expect(status.outbox).toMatchObject({ pending: 1, keptWhileConfigBroken: 1 });
    const doctor = JSON.parse(
      (await runCli(['integrations', 'claude', 'doctor', '--json'], { cwd: p.dir, env })).stdout,
    ) as { checks: { name: string; status: string; detail: string }[] };
    expect(doctor.checks.find((c) => c.name === 'outbox')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^1 events waiting in .*\(1 kept while the config could not be read\)/),
    });
    const sync = await runCli(['integrations', 'claude', 'sync', '--json'], { cwd: p.dir, env });
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ sent: 1, remaining: 0 });
    expect((await storedSession(server.endpoint, prefix, 'kept')).map((r) => r.payload.prompt)).toEqual([
      'is the queue stuck?',
    ]);
    expect(outboxEntries(p.dir)).toEqual([]);
    expect(readdirSync(path.join(p.dir, '.runbook/data/outbox')).filter((n) => n.endsWith('.json'))).toEqual([]);
  } finally {
    p.cleanup();
  }
}, 60_000);
