import { afterAll, beforeAll, test } from 'vitest';
import { storageTestSuite } from '@runbook/storage-core/testing';
import { BUCKET, testBackend } from './helpers/backend.js';
import { startS3Server, type S3TestServer } from './helpers/s3-server.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
});
afterAll(async () => {
  await server?.stop();
});

storageTestSuite(test, () => testBackend(server), { name: 's3' });
