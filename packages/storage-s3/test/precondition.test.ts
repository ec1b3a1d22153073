import http from 'node:http';
import { once } from 'node:events';
import { createRecord, serializeRecord, type StoredRecord } from '@runbook/storage-core';
import { describe, expect, test } from 'vitest';
import { clientConfig, DEFAULT_REQUEST_TIMEOUT_MS } from '../src/client.js';
import { eventKey, sessionKeys } from '../src/index.js';
import { testBackend, useTestServer, type RawClient } from './helpers/backend.js';
import { startSilentServer, type S3TestServer } from './helpers/s3-server.js';

let server: S3TestServer;
let raw: RawClient;
useTestServer((s, r) => {
  server = s;
  raw = r;
});

/**
 * A loopback proxy in front of the test server that answers every conditional write (`If-None-Match`)
 * with 412 Precondition Failed without passing it on, as a misbehaving gateway or cache might.
 */
async function preconditionProxy(
  target: string,
): Promise<{ endpoint: string; conditional: number; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const state = { conditional: 0 };
  const proxy = http.createServer((req, res) => {
    if (req.method === 'PUT' && req.headers['if-none-match'] !== undefined) {
      state.conditional += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(412, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
        );
      });
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const { port } = proxy.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get conditional() {
      return state.conditional;
    },
    async stop() {
      proxy.closeAllConnections();
      proxy.close();
      await once(proxy, 'close');
    },
  };
}

function event(seq: number): StoredRecord {
  return createRecord({ sessionId: 'pre', eventName: 'PostToolUse', payload: { seq } });
}

describe('412 Precondition Failed', () => {
  test('is taken as "already stored" only after the stored object reads back as the same event', async () => {
    const proxy = await preconditionProxy(server.endpoint);
    const backend = testBackend(server, { endpoint: proxy.endpoint });
    try {
      const record = event(1);
      // Nothing is stored under the key: the 412 was wrong, so the event is written after all.
      expect(await backend.append(record)).toBe('stored');
      const key = eventKey(sessionKeys(backend.prefix, 'pre'), record);
      expect(await raw.text(key)).toBe(serializeRecord(record));
      // Now it is there: the next 412 is right.
      expect(await backend.append(record)).toBe('duplicate');
      expect(proxy.conditional).toBe(2);
    } finally {
      await backend.close();
      await proxy.stop();
    }
  });

  test('an object under the key that is not this event is replaced by it', async () => {
    const proxy = await preconditionProxy(server.endpoint);
    const backend = testBackend(server, { endpoint: proxy.endpoint });
    try {
      const record = event(2);
      const key = eventKey(sessionKeys(backend.prefix, 'pre'), record);
      await raw.put(key, '{"torn":');
      expect(await backend.append(record)).toBe('stored');
      expect(await raw.text(key)).toBe(serializeRecord(record));
    } finally {
      await backend.close();
      await proxy.stop();
    }
  });
});

describe('timeouts', () => {
  test('every request has a timeout even when none is configured', () => {
    expect(clientConfig({}).requestHandler).toMatchObject({
      requestTimeout: DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      connectionTimeout: expect.any(Number),
    });
    expect(clientConfig({ requestTimeoutMs: 500, connectTimeoutMs: 200 }).requestHandler).toMatchObject({
      requestTimeout: 500,
      connectionTimeout: 200,
    });
  });

  test(
    'an append against a server that accepts and never answers fails with the default timeout',
    async () => {
      const silent = await startSilentServer();
      const backend = testBackend(server, { endpoint: silent.endpoint, maxAttempts: 1 });
      try {
        const error = await backend.append(event(3)).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'STORAGE_WRITE_FAILED' });
      } finally {
        await backend.close();
        await silent.stop();
      }
    },
    DEFAULT_REQUEST_TIMEOUT_MS + 10_000,
  );
});
