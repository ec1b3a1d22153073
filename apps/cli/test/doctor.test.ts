import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createRecord, openOutbox } from '@runbook/storage-core';
import { startS3Server, type S3TestServer } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import { CLI_TEST_BUCKET, s3ProjectConfig } from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { runCli, tempProject, type TempProject } from './helpers/cli.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}

let project: TempProject;
let home: string;

beforeEach(() => {
  project = tempProject('runbook-doctor-');
  home = path.join(project.dir, 'home');
  mkdirSync(home);
});
afterEach(() => project.cleanup());

function claude(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['integrations', 'claude', ...args], { cwd: project.dir, env: { HOME: home, ...env } });
}

/** `doctor --json`, and with `text` also the human output, which must agree on the exit code. */
async function doctor(
  env: NodeJS.ProcessEnv = {},
  text = false,
): Promise<{ code: number | null; checks: Record<string, Check>; text: string }> {
  const json = await claude(['doctor', '--json'], env);
  const parsed = JSON.parse(json.stdout) as { ok: boolean; checks: Check[] };
  expect(parsed.ok).toBe(json.code === 0);
  let human = '';
  if (text) {
    const result = await claude(['doctor'], env);
    expect(result.code).toBe(json.code);
    human = result.stdout;
  }
  return { code: json.code, checks: Object.fromEntries(parsed.checks.map((c) => [c.name, c])), text: human };
}

describe('doctor, local backend', () => {
  test('passes on an enabled project, one line per check', async () => {
    expect((await claude(['enable'])).code).toBe(0);
    const { code, checks, text } = await doctor({}, true);
    expect(code).toBe(0);
    expect(checks.config).toMatchObject({
      status: 'ok',
      detail: 'no .runbook/config.yaml, defaults apply; backend local',
    });
    expect(checks.storage).toMatchObject({
      status: 'ok',
      detail: '.runbook/hooks/claude: writable (a probe file was written and removed)',
    });
    expect(checks.hook).toMatchObject({ status: 'ok' });
    expect(checks.outbox).toMatchObject({ status: 'skip' });
    expect(text.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^ok {4}node {9}v20\./),
      expect.stringMatching(/^ok {4}config {7}/),
      expect.stringMatching(/^ok {4}backend {6}local \(built in\)$/),
      expect.stringMatching(/^ok {4}storage {6}/),
      expect.stringMatching(/^ok {4}hook {9}installed in \.claude\/settings\.json \(project, 12 events\)$/),
      expect.stringMatching(/^skip {2}outbox {7}/),
      expect.stringMatching(/^ok {4}transcripts {2}none on disk in /),
      'All checks passed.',
    ]);
    // The probe session is gone again.
    expect(JSON.parse((await claude(['sessions', 'list', '--json'])).stdout)).toEqual([]);
  });

  test('fails when the hook is missing or its command can no longer start', async () => {
    const missing = await doctor({}, true);
    expect(missing.code).toBe(1);
    expect(missing.checks.hook).toMatchObject({ status: 'fail', fix: 'run: runbook integrations claude enable' });
    expect(missing.text).toContain('1 check failed.');

    expect((await claude(['enable', '--command', 'node /nowhere/runbook.js integrations claude hook'])).code).toBe(0);
    const stale = await doctor();
    expect(stale.code).toBe(1);
    expect(stale.checks.hook!.detail).toBe(
      'the hook command cannot start: /nowhere/runbook.js does not exist (was runbook moved or uninstalled?)',
    );
  });

  test('fails with a fix when the storage directory cannot be written', async () => {
    writeFileSync(path.join(project.dir, 'not-a-dir'), 'x');
    project.config('integrations:\n  claude:\n    sessionStorage:\n      localBaseDir: not-a-dir/claude\n');
    await claude(['enable']);
    const { code, checks } = await doctor();
    expect(code).toBe(1);
    expect(checks.storage!.status).toBe('fail');
    expect(checks.storage!.detail).toMatch(/^not-a-dir\/claude: .*ENOTDIR/);
    expect(checks.storage!.fix).toContain('make not-a-dir/claude writable');
  });

  test('fails on invalid config, naming the key, and skips what depends on it', async () => {
    project.config('integrations:\n  claude:\n    sessionStorage:\n      mirrorLocal: sometimes\n');
    const { code, checks } = await doctor();
    expect(code).toBe(1);
    expect(checks.config).toMatchObject({ status: 'fail' });
    expect(checks.config!.detail).toContain('integrations.claude.sessionStorage.mirrorLocal');
    expect(checks.storage).toMatchObject({ status: 'skip' });
  });

  test('fails when the configured backend package is not installed', async () => {
    project.config('integrations:\n  claude:\n    sessionStorage:\n      backend: "@acme/runbook-storage-nowhere"\n');
    const { code, checks } = await doctor();
    expect(code).toBe(1);
    expect(checks.backend!.status).toBe('fail');
    expect(checks.backend!.detail).toContain('no package "@acme/runbook-storage-nowhere" is installed');
  });
});

describe('doctor, s3 backend', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('passes when the bucket is reachable with the given credentials, and leaves nothing behind', async () => {
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint });
    project.config(yaml);
    await claude(['enable']);
    const { code, checks } = await doctor(server.env());
    expect(checks.storage).toMatchObject({
      status: 'ok',
      detail: `s3://${CLI_TEST_BUCKET}/${prefix} at ${server.endpoint}: listed, then wrote and deleted a probe object`,
    });
    expect(checks.mirror).toMatchObject({ status: 'ok' });
    expect(checks.outbox).toMatchObject({
      status: 'ok',
      detail: 'nothing waiting in .runbook/hooks/claude/outbox; no drainer running',
    });
    expect(code).toBe(0);
    const status = JSON.parse((await claude(['status', '--json'], server.env())).stdout) as {
      sessions: number;
      outbox: { pending: number };
    };
    expect(status).toMatchObject({ sessions: 0, outbox: { pending: 0 } });
  });

  test('fails with a fix naming the bucket when the bucket is wrong', async () => {
    const { yaml } = s3ProjectConfig({ endpoint: server.endpoint });
    project.config(yaml.replace(`bucket: ${CLI_TEST_BUCKET}`, 'bucket: no-such-bucket-here'));
    await claude(['enable']);
    const { code, checks, text } = await doctor(server.env(), true);
    expect(code).toBe(1);
    expect(checks.storage!.status).toBe('fail');
    expect(checks.storage!.detail).toMatch(/^s3:\/\/no-such-bucket-here\/.* listing the bucket failed: .*NoSuchBucket/);
    expect(checks.storage!.fix).toBe('create the bucket no-such-bucket-here or fix sessionStorage.s3.bucket');
    expect(text).toMatch(/^FAIL {2}storage {2}.*\(fix: create the bucket no-such-bucket-here/m);
  });

  test('warns about events waiting in the outbox, which status counts too', async () => {
    const { yaml } = s3ProjectConfig({ endpoint: server.endpoint });
    project.config(yaml);
    await claude(['enable']);
    const outbox = openOutbox({ dir: path.join(project.dir, '.runbook/hooks/claude/outbox') });
    for (const name of ['Stop', 'SessionEnd'])
      outbox.put(createRecord({ sessionId: 'waiting', eventName: name, payload: { session_id: 'waiting' } }));
    const { code, checks } = await doctor(server.env());
    expect(checks.outbox!.status).toBe('warn');
    expect(checks.outbox!.detail).toMatch(
      /^2 events waiting in \.runbook\/hooks\/claude\/outbox, oldest from \d+s ago; no drainer running$/,
    );
    expect(code).toBe(0);
    const status = await claude(['status'], server.env());
    expect(status.stdout).toMatch(
      /^Outbox: {4}2 waiting, oldest from \d+s ago \(\S+\) \(\.runbook\/hooks\/claude\/outbox\)$/m,
    );
    expect(status.stdout).toMatch(/^Drainer: {3}not running$/m);
    expect(status.stdout).toContain(`Backend:   s3, s3://${CLI_TEST_BUCKET}/`);
    expect(readFileSync(path.join(project.dir, '.claude/settings.json'), 'utf8')).toContain('integrations claude hook');
  });
});
