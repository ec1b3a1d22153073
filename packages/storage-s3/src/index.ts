import { defineBackend } from '@runbook/storage-core';
import { s3ConfigSchema, type S3BackendConfig } from './config.js';
import type { CompactOptions, CompactResult } from './compact.js';
import { createS3Backend, type S3SessionBackend } from './s3-backend.js';

export { createS3Backend } from './s3-backend.js';
export type { S3BackendOptions, S3SessionBackend } from './s3-backend.js';
export { DEFAULT_PREFIX, S3ConfigError, parseS3Config, s3ConfigSchema } from './config.js';
export type { ChecksumMode, S3BackendConfig, S3ConfigIssue } from './config.js';
export { checksumSetting, clientConfig } from './client.js';
export type { ClientSettings } from './client.js';
export type { CompactOptions, CompactResult } from './compact.js';
export { eventKey, sessionKeys, segmentKey } from './keys.js';
export type { SessionKeys } from './keys.js';

/**
 * `backend: s3`: every event as its own object in one bucket, read back in order, compactable.
 * Options live under `integrations.claude.sessionStorage.s3`; credentials come from the AWS chain.
 */
export const s3Backend = defineBackend<S3BackendConfig>({
  name: 's3',
  configKey: 's3',
  configSchema: s3ConfigSchema,
  create: (config) => createS3Backend(config),
});

/** Merge a session's event objects into segments (see {@link S3SessionBackend.compact}). */
export function compact(
  backend: S3SessionBackend,
  sessionId: string,
  options?: CompactOptions,
): Promise<CompactResult> {
  return backend.compact(sessionId, options);
}

export default s3Backend;
