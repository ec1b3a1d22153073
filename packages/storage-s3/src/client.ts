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
export function checksumSetting(mode: ChecksumMode | undefined, endpoint: string | undefined): 'WHEN_REQUIRED' | 'WHEN_SUPPORTED' {
  if (mode === 'when-required') return 'WHEN_REQUIRED';
  if (mode === 'when-supported') return 'WHEN_SUPPORTED';
  return endpoint ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
}

/** The S3 client configuration for these settings (exported for tests of the checksum choice). */
export function clientConfig(settings: ClientSettings): S3ClientConfig {
  const checksum = checksumSetting(settings.checksums, settings.endpoint);
  const config: S3ClientConfig = {
    forcePathStyle: settings.forcePathStyle ?? false,
    requestChecksumCalculation: checksum,
    responseChecksumValidation: checksum,
    requestHandler: {
      // Without throwOnRequestTimeout the handler only prints a warning and keeps waiting.
      ...(settings.requestTimeoutMs !== undefined ? { requestTimeout: settings.requestTimeoutMs, throwOnRequestTimeout: true } : {}),
      ...(settings.connectTimeoutMs !== undefined ? { connectionTimeout: settings.connectTimeoutMs } : {}),
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
