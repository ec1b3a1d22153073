import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startS3Server, type S3TestServer } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import { CLI_TEST_BUCKET, s3ProjectConfig } from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { runCli, runHook, tempProject } from './helpers/cli.js';
import { claudeHome, writeIncidentSession } from './helpers/transcript-fixture.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
});
afterAll(async () => {
  await server?.stop();
});

const SESSION = '2b8f6e4d-9c1a-4f3e-8d7b-1a2b3c4d5e6f';

test('s3 down while a Stop archives the transcript: the chunks wait in the outbox, the originals go, sync sends them and they read back line for line', async () => {
  const p = tempProject('runbook-s3-transcripts-');
  try {
    p.config(s3ProjectConfig({ endpoint: server.endpoint, mirrorLocal: false }).yaml);
    const home = claudeHome(p.dir, p.dir);
    const env = { ...server.env(), CLAUDE_CONFIG_DIR: home.configDir, CLAUDE_PROJECT_DIR: p.dir };
    const { mainText, agentText } = writeIncidentSession(home, SESSION, p.dir);
    const transcriptPath = path.join(home.folder, `${SESSION}.jsonl`);

    await server.down();
    const hook = await runHook(
      p.dir,
      { session_id: SESSION, transcript_path: transcriptPath, cwd: p.dir, hook_event_name: 'Stop' },
      [],
      env,
    );
    expect(hook.code).toBe(0);
    expect(hook.stdout).toBe('');
    const waiting = readdirSync(path.join(p.dir, '.runbook/hooks/claude/outbox/transcripts')).filter((n) =>
      n.endsWith('.json'),
    );
    expect(waiting).toHaveLength(2); // the main transcript and the subagent's, one chunk each

    // Claude Code deletes the originals; what the hook took is safe on disk.
    rmSync(transcriptPath);
    rmSync(path.join(home.folder, SESSION), { recursive: true });
    const whileDown = await runCli(['integrations', 'claude', 'sync', '--json'], { cwd: p.dir, env });
    expect(whileDown.code).toBe(1);
    expect(JSON.parse(whileDown.stdout).transcriptChunks).toMatchObject({ sent: 0, waiting: 2 });

    await server.up();
    const sent = await runCli(['integrations', 'claude', 'sync', '--json'], { cwd: p.dir, env });
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout).transcriptChunks).toMatchObject({ sent: 2, failed: 0, waiting: 0 });
    const again = await runCli(['integrations', 'claude', 'sync', '--json'], { cwd: p.dir, env });
    expect(JSON.parse(again.stdout).transcriptChunks).toMatchObject({ sent: 0, waiting: 0 });

    const main = await runCli(['integrations', 'claude', 'sessions', 'export', SESSION, '--transcript'], {
      cwd: p.dir,
      env,
    });
    expect(main.stderr).toBe('');
    expect(main.stdout).toBe(mainText);
    const agent = await runCli(
      ['integrations', 'claude', 'sessions', 'export', SESSION, '--transcript', '--subagent', 'a3f9c21'],
      { cwd: p.dir, env },
    );
    expect(agent.stdout).toBe(agentText);
  } finally {
    await server.up();
    p.cleanup();
  }
}, 60_000);
