import { hostname } from 'node:os';
import { describeError, type BackendDescription, type ProbeResult } from '@runbook/storage-core';
import type { ObjectStore } from './object-store.js';

/** `s3://bucket/prefix`, with the endpoint and region when set. No credential is ever part of it. */
export function describeS3(
  bucket: string,
  prefix: string,
  settings: { endpoint?: string; region?: string },
): BackendDescription {
  const details: Record<string, string> = {};
  if (settings.endpoint) details.endpoint = settings.endpoint;
  if (settings.region) details.region = settings.region;
  const where = settings.endpoint ? ` at ${settings.endpoint}` : '';
  const region = settings.region ? ` (${settings.region})` : '';
  return { location: `s3://${bucket}${prefix ? `/${prefix}` : ''}${where}${region}`, details };
}

/** One line telling the user what to change, from what a failed S3 request said. */
export function s3ProbeFix(message: string, bucket: string): string {
  if (/NoSuchBucket|does not exist/i.test(message))
    return `create the bucket ${bucket} or fix sessionStorage.s3.bucket`;
  if (/credential|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|security token/i.test(message)) {
    return 'check the AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an SSO login)';
  }
  if (/AccessDenied|Forbidden|403/i.test(message))
    return `let these credentials list, put and delete objects in ${bucket} (s3:ListBucket, s3:PutObject, s3:DeleteObject)`;
  if (/ENOTFOUND|ECONNREFUSED|timed? ?out|socket|network|EAI_AGAIN/i.test(message))
    return 'check the network and sessionStorage.s3.endpoint / region';
  return 'check the AWS credentials, and the bucket, region and endpoint under sessionStorage.s3';
}

/** List under the prefix, then put and delete one small object beside the sessions: read and write proven, nothing left. */
export async function probeS3(
  objects: ObjectStore,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  let step = 'listing the bucket';
  try {
    await objects.listPage(prefix ? `${prefix}/` : '', { maxKeys: 1, ...(signal ? { signal } : {}) });
    step = 'writing a probe object';
    const key = `${prefix ? `${prefix}/` : ''}probe/${hostname().replace(/[^A-Za-z0-9-]/g, '-')}-${process.pid}-${Date.now().toString(36)}.json`;
    await objects.create(key, '{"probe":true}\n', signal);
    step = 'deleting the probe object';
    await objects.deleteKeys([key], signal);
    return { ok: true, detail: 'listed, then wrote and deleted a probe object' };
  } catch (error) {
    const message = describeError(error);
    return { ok: false, detail: `${step} failed: ${message}`, fix: s3ProbeFix(message, bucket) };
  }
}
