/**
 * Helpers for tests that run the CLI against the test server: the `.runbook/config.yaml` of a project
 * using `backend: s3`, and a look at what the bucket and the outbox hold.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { collect, type StoredRecord } from '@runbook/storage-core';
import { createS3Backend } from '../../src/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from './s3-server.js';

export const CLI_TEST_BUCKET = 'runbook-cli-test';

export interface S3ProjectSettings {
  endpoint: string;
  prefix?: string;
  mirrorLocal?: boolean;
  background?: boolean;
  budgetMs?: number;
  /** `upload:` (default: not written, so spool). */
  upload?: 'inline' | 'spool';
  /** Extra lines under `outbox:` (plain `key: value` lines). */
  outboxExtra?: string[];
  /** Extra lines under `s3:` (indented by the caller's intent: plain `key: value` lines). */
  s3Extra?: string[];
}

/** A config.yaml for `backend: s3` on the test server, under a prefix of its own. */
export function s3ProjectConfig(settings: S3ProjectSettings): { yaml: string; prefix: string } {
  const prefix = settings.prefix ?? `cli/${randomUUID()}`;
  const lines = [
    'integrations:',
    '  claude:',
    '    sessionStorage:',
    '      backend: s3',
    `      mirrorLocal: ${settings.mirrorLocal ?? true}`,
    ...(settings.upload ? [`      upload: ${settings.upload}`] : []),
    '      s3:',
    `        bucket: ${CLI_TEST_BUCKET}`,
    `        prefix: ${prefix}`,
    `        endpoint: ${settings.endpoint}`,
    '        forcePathStyle: true',
    ...(settings.s3Extra ?? []).map((l) => `        ${l}`),
    '      outbox:',
    `        background: ${settings.background ?? false}`,
    ...(settings.budgetMs ? [`        budgetMs: ${settings.budgetMs}`] : []),
    ...(settings.outboxExtra ?? []).map((l) => `        ${l}`),
    '',
  ];
  return { yaml: lines.join('\n'), prefix };
}

/** Entries waiting in a project's outbox (default location). */
export function outboxEntries(projectDir: string): string[] {
  try {
    return readdirSync(path.join(projectDir, '.runbook/hooks/claude/outbox')).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
}

/** Every record of a session as the S3 backend reads it back, and how many event objects hold it. */
export async function storedSession(endpoint: string, prefix: string, sessionId: string): Promise<StoredRecord[]> {
  const backend = createS3Backend({
    bucket: CLI_TEST_BUCKET,
    prefix,
    endpoint,
    region: TEST_REGION,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });
  try {
    return await collect(backend.read(sessionId));
  } finally {
    await backend.close();
  }
}
