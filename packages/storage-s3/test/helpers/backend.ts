import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { loadSdk } from '../../src/client.js';
import { createS3Backend, type S3BackendOptions, type S3SessionBackend } from '../../src/index.js';
import { startS3Server, TEST_CREDENTIALS, TEST_REGION, type S3TestServer } from './s3-server.js';

export const BUCKET = 'runbook-test';

/** A backend on the test server under a prefix of its own, so every test starts empty. */
export function testBackend(server: S3TestServer, options: Partial<S3BackendOptions> = {}): S3SessionBackend {
  return createS3Backend({
    bucket: BUCKET,
    prefix: `t/${randomUUID()}`,
    endpoint: server.endpoint,
    region: TEST_REGION,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    ...options,
  });
}

/** A plain SDK client on the test server, to look at and plant objects the way another writer would. */
export async function rawClient(server: S3TestServer, bucket: string = BUCKET) {
  const sdk = await loadSdk();
  const client = new sdk.S3Client({
    endpoint: server.endpoint,
    region: TEST_REGION,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    client,
    async keys(prefix: string): Promise<string[]> {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async put(key: string, body: string): Promise<void> {
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async bytes(key: string): Promise<Uint8Array> {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body ? out.Body.transformToByteArray() : new Uint8Array(0);
    },
    async text(key: string): Promise<string> {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body ? out.Body.transformToString('utf8') : '';
    },
    close(): void {
      client.destroy();
    },
  };
}

export type RawClient = Awaited<ReturnType<typeof rawClient>>;

/** Start the test server with the test bucket (and a raw client) before this file's tests; stop both after. */
export function useTestServer(ready: (server: S3TestServer, raw: RawClient) => void): void {
  let server: S3TestServer | undefined;
  let raw: RawClient | undefined;
  beforeAll(async () => {
    server = await startS3Server({ buckets: [BUCKET] });
    raw = await rawClient(server);
    ready(server, raw);
  });
  afterAll(async () => {
    raw?.close();
    await server?.stop();
  });
}
