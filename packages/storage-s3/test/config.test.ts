import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  createRecord,
  decodeSegment,
  loadRunbookConfig,
  parseBackendConfig,
  serializeRecord,
} from '@runbook/storage-core';
import s3BackendDefault, { checksumSetting, clientConfig, s3Backend } from '../src/index.js';
import { testBackend, useTestServer, type RawClient } from './helpers/backend.js';
import type { S3TestServer } from './helpers/s3-server.js';

async function configFrom(yaml: string) {
  const projectDir = mkdtempSync(path.join(tmpdir(), 'runbook-s3-config-'));
  mkdirSync(path.join(projectDir, '.runbook'));
  writeFileSync(path.join(projectDir, '.runbook', 'config.yaml'), yaml);
  return loadRunbookConfig({ projectDir, env: {} });
}

async function problem(s3Section: string): Promise<string> {
  const config = await configFrom(`integrations:\n  claude:\n    sessionStorage:\n      backend: s3\n${s3Section}`);
  try {
    parseBackendConfig(s3Backend, config);
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message.slice(message.indexOf(': ') + 2);
  }
  throw new Error('config was accepted');
}

describe('the s3 config section', () => {
  test('is the default export and is keyed `s3`', () => {
    expect(s3BackendDefault).toBe(s3Backend);
    expect(s3Backend).toMatchObject({ name: 's3', configKey: 's3' });
  });

  test('applies defaults', async () => {
    const config = await configFrom(
      'integrations:\n  claude:\n    sessionStorage:\n      backend: s3\n      s3:\n        bucket: team-sessions\n',
    );
    expect(parseBackendConfig(s3Backend, config)).toEqual({
      bucket: 'team-sessions',
      prefix: 'runbook/hooks/claude',
      forcePathStyle: false,
      checksums: 'auto',
    });
  });

  test('keeps every option given', async () => {
    const config = await configFrom(
      'integrations:\n  claude:\n    sessionStorage:\n      backend: s3\n      s3:\n        bucket: logs\n        prefix: /teams/sre/\n        region: eu-west-1\n        endpoint: https://minio.internal:9000/\n        forcePathStyle: true\n        checksums: when-supported\n        requestTimeoutMs: 800\n        connectTimeoutMs: 200\n',
    );
    expect(parseBackendConfig(s3Backend, config)).toEqual({
      bucket: 'logs',
      prefix: 'teams/sre',
      region: 'eu-west-1',
      endpoint: 'https://minio.internal:9000',
      forcePathStyle: true,
      checksums: 'when-supported',
      requestTimeoutMs: 800,
      connectTimeoutMs: 200,
    });
  });

  test('names a missing bucket', async () => {
    expect(await problem('')).toBe('integrations.claude.sessionStorage.s3.bucket: is required');
    expect(await problem('      s3:\n        region: us-east-1\n')).toBe(
      'integrations.claude.sessionStorage.s3.bucket: is required',
    );
  });

  test('names a malformed endpoint', async () => {
    expect(await problem('      s3:\n        bucket: logs\n        endpoint: minio.internal:9000\n')).toBe(
      'integrations.claude.sessionStorage.s3.endpoint: must be an http:// or https:// URL, got "minio.internal:9000"',
    );
    expect(await problem('      s3:\n        bucket: logs\n        endpoint: not a url\n')).toMatch(
      /^integrations\.claude\.sessionStorage\.s3\.endpoint: must be an http/,
    );
  });

  test('names an unknown region', async () => {
    expect(await problem('      s3:\n        bucket: logs\n        region: us-eats-1\n')).toMatch(
      /^integrations\.claude\.sessionStorage\.s3\.region: "us-eats-1" is not an AWS region/,
    );
  });

  test('accepts any region name for a custom endpoint (R2 uses `auto`)', async () => {
    const config = await configFrom(
      'integrations:\n  claude:\n    sessionStorage:\n      backend: s3\n      s3:\n        bucket: logs\n        region: auto\n        endpoint: https://acct.r2.cloudflarestorage.com\n',
    );
    expect(parseBackendConfig(s3Backend, config).region).toBe('auto');
  });

  test('names wrong types, bad buckets, unknown keys and bad timeouts', async () => {
    expect(await problem('      s3:\n        bucket: 42\n')).toBe(
      'integrations.claude.sessionStorage.s3.bucket: must be string, got number',
    );
    expect(await problem('      s3:\n        bucket: Team_Logs\n')).toBe(
      'integrations.claude.sessionStorage.s3.bucket: is not a valid bucket name: "Team_Logs"',
    );
    expect(await problem('      s3:\n        bucket: logs\n        forcePathStyle: "yes"\n')).toBe(
      'integrations.claude.sessionStorage.s3.forcePathStyle: must be boolean, got string',
    );
    expect(await problem('      s3:\n        bucket: logs\n        bukcet: logs\n')).toMatch(
      /^integrations\.claude\.sessionStorage\.s3\.bukcet: is not an s3 option/,
    );
    expect(await problem('      s3:\n        bucket: logs\n        checksums: sometimes\n')).toMatch(
      /^integrations\.claude\.sessionStorage\.s3\.checksums: must be one of auto, when-required, when-supported/,
    );
    expect(await problem('      s3:\n        bucket: logs\n        requestTimeoutMs: -5\n')).toMatch(
      /^integrations\.claude\.sessionStorage\.s3\.requestTimeoutMs: must be a whole number/,
    );
    expect(await problem('      s3:\n        bucket: logs\n        prefix: a/../b\n')).toMatch(
      /^integrations\.claude\.sessionStorage\.s3\.prefix: must be a plain key prefix/,
    );
  });
});

describe('checksums', () => {
  test('only when required for custom endpoints, the SDK default for AWS, and as configured when set', () => {
    expect(checksumSetting('auto', 'http://127.0.0.1:9000')).toBe('WHEN_REQUIRED');
    expect(checksumSetting('auto', undefined)).toBe('WHEN_SUPPORTED');
    expect(checksumSetting('when-supported', 'http://127.0.0.1:9000')).toBe('WHEN_SUPPORTED');
    expect(checksumSetting('when-required', undefined)).toBe('WHEN_REQUIRED');
    const config = clientConfig({ endpoint: 'http://127.0.0.1:9000' });
    expect(config).toMatchObject({
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });

  describe('against the test server', () => {
    let server: S3TestServer;
    let raw: RawClient;
    useTestServer((s, r) => {
      server = s;
      raw = r;
    });

    test('stores exactly the record bytes, and compaction (DeleteObjects needs a checksum) works', async () => {
      const backend = testBackend(server);
      const records = [0, 1, 2].map((seq) =>
        createRecord({ sessionId: 'cs', eventName: 'Stop', payload: { seq, text: 'é'.repeat(5000) } }),
      );
      for (const r of records) await backend.append(r);
      const keys = await raw.keys(`${backend.prefix}/`);
      expect(await raw.text(keys[0]!)).toBe(serializeRecord(records[0]!));
      expect(await backend.compact('cs')).toMatchObject({ segments: 1, events: 3 });
      const after = await raw.keys(`${backend.prefix}/`);
      const rows = after.find((key) => key.includes('/segments/dt='))!;
      expect(decodeSegment(await raw.bytes(rows)).records).toEqual(records);
      await backend.close();
    });
  });
});
