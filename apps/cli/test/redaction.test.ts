import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { rawClient } from '../../../packages/storage-s3/test/helpers/backend.js';
import { startS3Server, type S3TestServer } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import {
  CLI_TEST_BUCKET,
  s3ProjectConfig,
  storedSession,
} from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { fake } from '../../../packages/hook-ingest/test/helpers/fake-secrets.js';
import { hookEvent, runHook, tempProject, type TempProject } from './helpers/cli.js';

// Secrets never reach storage: a real `runbook integrations claude hook` process, fed an event that holds
// an AWS key pair, a GitHub token and a PEM private key, leaves none of them on disk or in the bucket.

const SECRETS = {
  awsKeyId: fake.awsAccessKeyId,
  awsSecret: fake.awsSecretKey,
  github: fake.githubClassic,
  pemLine: fake.rsaKey.split('\n')[2]!,
};

/** A PostToolUse of `cat`-ing a credentials file, an env dump and a key, with the GitHub token in the command too. */
function eventWithSecrets(sessionId: string): Record<string, unknown> {
  return hookEvent(sessionId, 'PostToolUse', {
    tool_name: 'Bash',
    tool_use_id: 'toolu_01SECRETS',
    tool_input: {
      command: `cat ~/.aws/credentials && env && cat deploy.pem && GH_TOKEN=${fake.githubClassic} gh pr list`,
      description: 'Check credentials',
    },
    tool_response: {
      stdout: [
        '[default]',
        `aws_access_key_id = ${fake.awsAccessKeyId}`,
        `aws_secret_access_key = ${fake.awsSecretKey}`,
        'region = us-east-1',
        `GITHUB_TOKEN=${fake.githubClassic}`,
        'HOME=/home/dev',
        fake.rsaKey,
        '#42 Fix checkout timeout',
      ].join('\n'),
      stderr: '',
      interrupted: false,
    },
  });
}

function expectNoSecret(text: string, where: string): void {
  for (const [name, secret] of Object.entries(SECRETS))
    expect([where, name, text.includes(secret)]).toEqual([where, name, false]);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const projects: TempProject[] = [];
function project(): TempProject {
  const p = tempProject('runbook-redaction-');
  projects.push(p);
  return p;
}
afterEach(() => {
  while (projects.length) projects.pop()!.cleanup();
});

function storedRecords(dir: string, sessionId: string): Array<Record<string, unknown>> {
  const file = path.join(dir, '.runbook/hooks/claude/sessions', sessionId, 'events.ndjson');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('redaction through the hook process, local backend', () => {
  test('an AWS key pair, a GitHub token and a PEM key are stored as markers, with counts', async () => {
    const p = project();
    const result = await runHook(p.dir, eventWithSecrets('s-secrets'));
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });

    for (const file of filesUnder(path.join(p.dir, '.runbook'))) expectNoSecret(readFileSync(file, 'utf8'), file);
    const [record] = storedRecords(p.dir, 's-secrets');
    expect(record?.redactions).toEqual({
      'aws-access-key': 1,
      'aws-secret-key': 1,
      'github-token': 2,
      'private-key': 1,
    });
    const stdout = (record!.payload as { tool_response: { stdout: string } }).tool_response.stdout;
    expect(stdout.split('\n')).toEqual([
      '[default]',
      'aws_access_key_id = [REDACTED:aws-access-key]',
      'aws_secret_access_key = [REDACTED:aws-secret-key]',
      'region = us-east-1',
      'GITHUB_TOKEN=[REDACTED:github-token]',
      'HOME=/home/dev',
      '[REDACTED:private-key]',
      '#42 Fix checkout timeout',
    ]);
  });

  test('extra patterns and allowed values come from .runbook/config.yaml', async () => {
    const p = project();
    p.config(
      [
        'integrations:',
        '  claude:',
        '    redaction:',
        '      patterns:',
        "        - { regex: 'ACME-[0-9]{8}', label: acme-license }",
        '      allow:',
        `        - ${fake.stripeLive}`,
        '',
      ].join('\n'),
    );
    const prompt = `use license ACME-20261125 and test key ${fake.stripeLive}, not ${fake.githubClassic}`;
    const result = await runHook(p.dir, hookEvent('s-config', 'UserPromptSubmit', { prompt }));
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const [record] = storedRecords(p.dir, 's-config');
    expect((record!.payload as { prompt: string }).prompt).toBe(
      `use license [REDACTED:acme-license] and test key ${fake.stripeLive}, not [REDACTED:github-token]`,
    );
  });

  test('an invalid pattern is one stderr line naming it, and the event is still stored redacted', async () => {
    const p = project();
    p.config(
      [
        'integrations:',
        '  claude:',
        '    redaction:',
        '      patterns:',
        "        - { regex: 'ok', label: fine }",
        "        - { regex: '(unclosed', label: broken }",
        '',
      ].join('\n'),
    );
    const result = await runHook(p.dir, eventWithSecrets('s-badpattern'));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^runbook: .*\.runbook\/config\.yaml: integrations\.claude\.redaction\.patterns\.1\.regex: invalid regular expression "\(unclosed": .*; using the built-in redaction and default limits$/,
    );
    for (const file of filesUnder(path.join(p.dir, '.runbook/hooks'))) expectNoSecret(readFileSync(file, 'utf8'), file);
    expect(storedRecords(p.dir, 's-badpattern')).toHaveLength(1);
  });

  test('enabled: false stores payloads as they arrive', async () => {
    const p = project();
    p.config('integrations:\n  claude:\n    redaction:\n      enabled: false\n');
    await runHook(p.dir, eventWithSecrets('s-off'));
    const [record] = storedRecords(p.dir, 's-off');
    expect(JSON.stringify(record)).toContain(fake.githubClassic);
    expect(record?.redactions).toBeUndefined();
  });
});

describe('redaction through the hook process, S3 backend', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('neither the bucket nor the local mirror holds any of the secrets', async () => {
    const p = project();
    // inline: the event is in the bucket when the hook exits (the outbox is checked too, spooled or not).
    const { yaml, prefix } = s3ProjectConfig({ endpoint: server.endpoint, upload: 'inline', budgetMs: 10_000 });
    p.config(yaml);
    const result = await runHook(p.dir, eventWithSecrets('s3-secrets'), [], server.env());
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const raw = await rawClient(server, CLI_TEST_BUCKET);
    try {
      const keys = await raw.keys(`${prefix}/`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expectNoSecret(await raw.text(key), key);
    } finally {
      raw.close();
    }
    const [stored] = await storedSession(server.endpoint, prefix, 's3-secrets');
    expect(stored?.redactions).toEqual({
      'aws-access-key': 1,
      'aws-secret-key': 1,
      'github-token': 2,
      'private-key': 1,
    });
    for (const file of filesUnder(path.join(p.dir, '.runbook'))) expectNoSecret(readFileSync(file, 'utf8'), file);
    expect(storedRecords(p.dir, 's3-secrets')[0]?.eventId).toBe(stored?.eventId);
  });
});
