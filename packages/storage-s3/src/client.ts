import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { ChecksumMode } from './config.js';

type Sdk = typeof import('@aws-sdk/client-s3');

let sdkPromise: Promise<Sdk> | undefined;

/**
 * Load `@aws-sdk/client-s3` on first use only, so code paths that never touch S3 never pay for it.
 * The SDK's Node-version notice is switched off first: it must never reach a user's terminal.
 */
export function loadSdk(): Promise<Sdk> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdkPromise ??= import('@aws-sdk/client-s3');
  return sdkPromise;
}

export interface ClientSettings {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  checksums?: ChecksumMode;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Attempts per request including the first (SDK default 3). */
  maxAttempts?: number;
  /** Explicit credentials; normally left out so the standard AWS chain applies. */
  credentials?: S3ClientConfig['credentials'];
}

/** `WHEN_REQUIRED` or `WHEN_SUPPORTED` for a checksum mode; `auto` depends on whether an endpoint is set. */
export function checksumSetting(
  mode: ChecksumMode | undefined,
  endpoint: string | undefined,
): 'WHEN_REQUIRED' | 'WHEN_SUPPORTED' {
  if (mode === 'when-required') return 'WHEN_REQUIRED';
  if (mode === 'when-supported') return 'WHEN_SUPPORTED';
  return endpoint ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
}

/** A request that has received nothing for this long is given up (and retried by the SDK); override with `requestTimeoutMs`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** A connection not established within this long is given up; override with `connectTimeoutMs`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

/**
 * The S3 client configuration for these settings (exported for tests). Every request has a timeout:
 * a server that accepts connections and never answers fails the call instead of holding it forever.
 */
export function clientConfig(settings: ClientSettings): S3ClientConfig {
  const checksum = checksumSetting(settings.checksums, settings.endpoint);
  const config: S3ClientConfig = {
    forcePathStyle: settings.forcePathStyle ?? false,
    requestChecksumCalculation: checksum,
    responseChecksumValidation: checksum,
    requestHandler: {
      // Without throwOnRequestTimeout the handler only prints a warning and keeps waiting.
      requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      connectionTimeout: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    },
  };
  if (settings.endpoint) config.endpoint = settings.endpoint;
  if (settings.region) config.region = settings.region;
  else if (settings.endpoint) config.region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  if (settings.maxAttempts !== undefined) config.maxAttempts = settings.maxAttempts;
  if (settings.credentials) config.credentials = settings.credentials;
  return config;
}

export async function createClient(settings: ClientSettings): Promise<{ sdk: Sdk; client: S3Client }> {
  const sdk = await loadSdk();
  return { sdk, client: new sdk.S3Client(clientConfig(settings)) };
}
