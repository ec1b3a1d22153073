import type { ConfigParser } from '@runbook/storage-core';

export const DEFAULT_PREFIX = 'runbook/hooks/claude';

/**
 * How the SDK computes request checksums and validates response checksums.
 * - `auto`: `when-required` when an `endpoint` is set (MinIO, R2, Ceph and most S3-compatible servers
 *   reject or mangle the newer default checksums), the SDK default (`when-supported`) for AWS itself.
 * - `when-required`: only for operations that need one (e.g. DeleteObjects).
 * - `when-supported`: the SDK default: on every operation that supports one.
 */
export type ChecksumMode = 'auto' | 'when-required' | 'when-supported';

/** `integrations.claude.sessionStorage.s3`. Credentials come from the standard AWS chain, never from here. */
export interface S3BackendConfig {
  bucket: string;
  /** Key prefix every object lives under, without leading or trailing `/` (default `runbook/hooks/claude`). */
  prefix: string;
  region?: string;
  /** Custom endpoint URL for S3-compatible servers (MinIO, R2, Ceph...). */
  endpoint?: string;
  forcePathStyle: boolean;
  checksums: ChecksumMode;
  /** Give up on one request after this many milliseconds. */
  requestTimeoutMs?: number;
  /** Give up on connecting after this many milliseconds. */
  connectTimeoutMs?: number;
}

/** One problem found in the section, shaped like a zod issue so storage-core's `parseBackendConfig` can word it. */
export interface S3ConfigIssue {
  path: string[];
  code: 'invalid_type' | 'custom';
  message: string;
  expected?: string;
}

/** Thrown by {@link s3ConfigSchema}; carries `issues` as schema libraries do. */
export class S3ConfigError extends Error {
  readonly issues: S3ConfigIssue[];
  constructor(issues: S3ConfigIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    this.name = 'S3ConfigError';
    this.issues = issues;
  }
}

const KNOWN_KEYS = [
  'bucket',
  'prefix',
  'region',
  'endpoint',
  'forcePathStyle',
  'checksums',
  'requestTimeoutMs',
  'connectTimeoutMs',
];
const CHECKSUM_MODES: readonly ChecksumMode[] = ['auto', 'when-required', 'when-supported'];
/** Bucket names as S3 allows them (3-63 chars, lower case, digits, dots, hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`, `cn-north-1`... */
const AWS_REGION =
  /^[a-z]{2}(-(gov|iso[a-z]?))?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[0-9]{1,2}$/;

function fail(key: string, message: string): never {
  throw new S3ConfigError([{ path: [key], code: 'custom', message }]);
}

function optionalString(section: Record<string, unknown>, key: string): string | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new S3ConfigError([{ path: [key], code: 'invalid_type', expected: 'string', message: 'Invalid input' }]);
  const trimmed = value.trim();
  if (trimmed === '') fail(key, 'must not be empty');
  return trimmed;
}

function optionalTimeout(section: Record<string, unknown>, key: string): number | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number')
    throw new S3ConfigError([{ path: [key], code: 'invalid_type', expected: 'number', message: 'Invalid input' }]);
  if (!Number.isInteger(value) || value <= 0) fail(key, `must be a whole number of milliseconds above 0, got ${value}`);
  return value;
}

function parseEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('endpoint', `must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail('endpoint', `must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
  if (!url.hostname) fail('endpoint', `has no host name: ${JSON.stringify(raw)}`);
  if (url.search || url.hash) fail('endpoint', `must not carry a query or fragment: ${JSON.stringify(raw)}`);
  return raw.replace(/\/+$/, '');
}

/** Validate and default the `s3:` section. Throws {@link S3ConfigError} naming the first bad key. */
export function parseS3Config(value: unknown): S3BackendConfig {
  if (value === undefined || value === null) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new S3ConfigError([{ path: [], code: 'invalid_type', expected: 'object', message: 'Invalid input' }]);
  }
  const section = value as Record<string, unknown>;
  const unknownKey = Object.keys(section).find((key) => !KNOWN_KEYS.includes(key));
  if (unknownKey !== undefined) fail(unknownKey, `is not an s3 option (known: ${KNOWN_KEYS.join(', ')})`);

  const bucket = optionalString(section, 'bucket');
  if (bucket === undefined) fail('bucket', 'is required');
  if (!BUCKET.test(bucket) || bucket.includes('..'))
    fail('bucket', `is not a valid bucket name: ${JSON.stringify(bucket)}`);

  const prefixValue = section.prefix;
  if (prefixValue !== undefined && prefixValue !== null && typeof prefixValue !== 'string') {
    throw new S3ConfigError([{ path: ['prefix'], code: 'invalid_type', expected: 'string', message: 'Invalid input' }]);
  }
  const prefix = typeof prefixValue === 'string' ? prefixValue.trim().replace(/^\/+|\/+$/g, '') : DEFAULT_PREFIX;
  if (prefix.split('/').some((part) => part === '.' || part === '..') || prefix.includes('//')) {
    fail('prefix', `must be a plain key prefix without empty, "." or ".." parts: ${JSON.stringify(prefixValue)}`);
  }

  const endpointRaw = optionalString(section, 'endpoint');
  const endpoint = endpointRaw === undefined ? undefined : parseEndpoint(endpointRaw);

  const region = optionalString(section, 'region');
  if (region !== undefined && endpoint === undefined && !AWS_REGION.test(region)) {
    fail(
      'region',
      `${JSON.stringify(region)} is not an AWS region (expected a name like us-east-1 or eu-central-1; set endpoint for other S3-compatible services)`,
    );
  }

  const forcePathStyle = section.forcePathStyle ?? false;
  if (typeof forcePathStyle !== 'boolean') {
    throw new S3ConfigError([
      { path: ['forcePathStyle'], code: 'invalid_type', expected: 'boolean', message: 'Invalid input' },
    ]);
  }

  const checksums = section.checksums ?? 'auto';
  if (typeof checksums !== 'string' || !(CHECKSUM_MODES as readonly string[]).includes(checksums)) {
    fail('checksums', `must be one of ${CHECKSUM_MODES.join(', ')}, got ${JSON.stringify(checksums)}`);
  }

  const config: S3BackendConfig = { bucket, prefix, forcePathStyle, checksums: checksums as ChecksumMode };
  if (region !== undefined) config.region = region;
  if (endpoint !== undefined) config.endpoint = endpoint;
  const requestTimeoutMs = optionalTimeout(section, 'requestTimeoutMs');
  if (requestTimeoutMs !== undefined) config.requestTimeoutMs = requestTimeoutMs;
  const connectTimeoutMs = optionalTimeout(section, 'connectTimeoutMs');
  if (connectTimeoutMs !== undefined) config.connectTimeoutMs = connectTimeoutMs;
  return config;
}

/** The section's parser, for `defineBackend({ configSchema })` and storage-core's `parseBackendConfig`. */
export const s3ConfigSchema: ConfigParser<S3BackendConfig> = { parse: parseS3Config };
