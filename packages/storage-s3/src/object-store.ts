import { setMaxListeners } from 'node:events';
import type { S3Client } from '@aws-sdk/client-s3';
import { RunbookError, type RunbookErrorCode } from '@runbook/storage-core';

type Sdk = typeof import('@aws-sdk/client-s3');

/** The few bucket operations the backend needs, with S3's error cases turned into values. */
export interface ObjectStore {
  readonly bucket: string;
  /** Create `key` unless it exists (`If-None-Match: *`); `exists` when the server says it already does. */
  create(key: string, body: string | Uint8Array, signal?: AbortSignal): Promise<'created' | 'exists'>;
  /** Write `key` whatever is there. */
  put(key: string, body: string | Uint8Array, signal?: AbortSignal): Promise<void>;
  /** The object's bytes as a stream, or undefined when there is no such key. */
  get(key: string, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** The object's text, or undefined when there is no such key. */
  getText(key: string, signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Bytes `start`..`end` (inclusive; fewer when the object is shorter) and the object's size, or
   * undefined when there is no such key. A range starting past the end reads as no bytes.
   */
  getRange(key: string, start: number, end: number, signal?: AbortSignal): Promise<ObjectRange | undefined>;
  /** One page of keys (and common prefixes with a delimiter) in key order, starting after `startAfter`. */
  listPage(prefix: string, options?: ListPageOptions): Promise<ListPage>;
  /** Delete keys (any number, batched); missing keys are fine. */
  deleteKeys(keys: string[], signal?: AbortSignal): Promise<void>;
  /** Abandon every request in flight (and any retry the SDK has scheduled), then release the sockets. */
  close(): void;
}

export interface ObjectRange {
  bytes: Uint8Array;
  /** The whole object's size in bytes. */
  size: number;
}

export interface ListPageOptions {
  /** Start after this key. Robust when keys are deleted between pages; use for plain listings. */
  startAfter?: string;
  /** A token from the previous page; use for delimiter listings. */
  continuationToken?: string;
  delimiter?: string;
  maxKeys?: number;
  signal?: AbortSignal;
}

export interface ListPage {
  keys: string[];
  prefixes: string[];
  /** More pages follow. */
  truncated: boolean;
  /** The last key of this page: where a plain listing's next page starts after. */
  lastKey?: string;
  /** The server's token for the next page. */
  continuationToken?: string;
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return (error as SdkErrorLike)?.$metadata?.httpStatusCode;
}

export function isMissing(error: unknown): boolean {
  const name = (error as SdkErrorLike)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(error) === 404 && name !== 'NoSuchBucket');
}

function isUnsatisfiableRange(error: unknown): boolean {
  return statusOf(error) === 416 || (error as SdkErrorLike)?.name === 'InvalidRange';
}

/** The total size in a `Content-Range: bytes 0-99/1234` header. */
function sizeOfContentRange(header: string | undefined): number | undefined {
  const match = header ? /\/(\d+)\s*$/.exec(header) : null;
  return match ? Number(match[1]) : undefined;
}

export function isAlreadyThere(error: unknown): boolean {
  return statusOf(error) === 412 || (error as SdkErrorLike)?.name === 'PreconditionFailed';
}

/** One line: what failed, where, and the server's or network's reason. */
export function describeS3Error(error: unknown): string {
  const e = error as SdkErrorLike & { code?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'request timed out or was aborted';
  const status = statusOf(error);
  const name = e?.name && e.name !== 'Error' ? e.name : e?.code;
  let message = (e?.message ?? String(error)).split('\n')[0] ?? '';
  if (message === 'UnknownError' || message === name) message = '';
  const parts = [name, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
  return [parts, message].filter(Boolean).join(': ') || 'unknown error';
}

export function s3Error(code: RunbookErrorCode, what: string, error: unknown): RunbookError {
  return new RunbookError(code, `${what}: ${describeS3Error(error)}`, { cause: error });
}

export function createObjectStore(sdk: Sdk, client: S3Client, bucket: string): ObjectStore {
  const where = (key: string) => `s3://${bucket}/${key}`;
  // Destroying the client alone leaves a request in flight (or its next retry) holding the process open.
  const closing = new AbortController();
  // Every request in flight listens on it; many at once is expected, not a leak.
  setMaxListeners(0, closing.signal);
  const abortable = (signal: AbortSignal | undefined) => ({
    abortSignal: signal ? AbortSignal.any([signal, closing.signal]) : closing.signal,
  });
  return {
    bucket,

    async create(key, body, signal) {
      try {
        await client.send(
          new sdk.PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            IfNoneMatch: '*',
            ContentType: key.endsWith('.gz') ? 'application/gzip' : 'application/json',
          }),
          abortable(signal),
        );
        return 'created';
      } catch (error) {
        if (isAlreadyThere(error)) return 'exists';
        throw s3Error('STORAGE_WRITE_FAILED', `cannot write ${where(key)}`, error);
      }
    },

    async put(key, body, signal) {
      try {
        await client.send(
          new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
          abortable(signal),
        );
      } catch (error) {
        throw s3Error('STORAGE_WRITE_FAILED', `cannot write ${where(key)}`, error);
      }
    },

    async get(key, signal) {
      try {
        const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }), abortable(signal));
        return (out.Body as AsyncIterable<Uint8Array> | undefined) ?? (async function* () {})();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw s3Error('STORAGE_READ_FAILED', `cannot read ${where(key)}`, error);
      }
    },

    async getText(key, signal) {
      try {
        const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }), abortable(signal));
        return out.Body ? await out.Body.transformToString('utf8') : '';
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw s3Error('STORAGE_READ_FAILED', `cannot read ${where(key)}`, error);
      }
    },

    async getRange(key, start, end, signal) {
      try {
        const out = await client.send(
          new sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` }),
          abortable(signal),
        );
        const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
        const size = sizeOfContentRange(out.ContentRange);
        // A server that ignores Range sends the whole object.
        if (size === undefined) return { bytes: body.subarray(start, end + 1), size: body.length };
        return { bytes: body, size };
      } catch (error) {
        if (isMissing(error)) return undefined;
        if (isUnsatisfiableRange(error)) return { bytes: new Uint8Array(0), size: start };
        throw s3Error('STORAGE_READ_FAILED', `cannot read ${where(key)}`, error);
      }
    },

    async listPage(prefix, options = {}) {
      try {
        const out = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(options.startAfter ? { StartAfter: options.startAfter } : {}),
            ...(options.continuationToken ? { ContinuationToken: options.continuationToken } : {}),
            ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
            ...(options.maxKeys ? { MaxKeys: options.maxKeys } : {}),
          }),
          abortable(options.signal),
        );
        const keys = (out.Contents ?? []).map((o) => o.Key).filter((k): k is string => typeof k === 'string');
        const prefixes = (out.CommonPrefixes ?? [])
          .map((p) => p.Prefix)
          .filter((p): p is string => typeof p === 'string');
        const page: ListPage = { keys, prefixes, truncated: out.IsTruncated === true };
        const lastKey = keys.at(-1);
        if (lastKey !== undefined) page.lastKey = lastKey;
        if (out.NextContinuationToken) page.continuationToken = out.NextContinuationToken;
        return page;
      } catch (error) {
        throw s3Error('STORAGE_READ_FAILED', `cannot list ${where(prefix)}`, error);
      }
    },

    async deleteKeys(keys, signal) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        let errors: { Key?: string; Code?: string; Message?: string }[] | undefined;
        try {
          const out = await client.send(
            new sdk.DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }),
            abortable(signal),
          );
          errors = out.Errors;
        } catch (error) {
          throw s3Error(
            'STORAGE_WRITE_FAILED',
            `cannot delete ${batch.length} objects under ${where(batch[0] ?? '')}`,
            error,
          );
        }
        const real = (errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (real.length > 0) {
          const first = real[0]!;
          throw new RunbookError(
            'STORAGE_WRITE_FAILED',
            `cannot delete ${where(first.Key ?? '?')}: ${first.Code ?? 'error'}${first.Message ? `: ${first.Message}` : ''}`,
          );
        }
      }
    },

    close() {
      closing.abort();
      client.destroy();
    },
  };
}
