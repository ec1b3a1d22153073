import { randomUUID } from 'node:crypto';
import { createS3Backend, type S3BackendOptions, type S3SessionBackend } from '../../src/index.js';
import { TEST_CREDENTIALS, TEST_REGION, type S3TestServer } from './s3-server.js';

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
