import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collect, createRecord } from '@runbook/storage-core';
import { describe, expect, test } from 'vitest';
import { TOKEN, useGitServer } from './helpers/backend.js';
import type { CannedResponse } from './helpers/git-server.mjs';

let answer: ((service: string | undefined, method: string) => CannedResponse | undefined) | undefined;
const git = useGitServer({ intercept: ({ service, method }) => answer?.(service, method) });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

const record = (sessionId: string, seq: number) =>
  createRecord({ sessionId, eventName: 'PostToolUse', payload: { seq } });

describe('the token', () => {
  test('travels only as an HTTP header: never in a command line, a file of the cache, or an error', async () => {
    // A git that records its command lines (what `ps` shows) and environment variable names, then runs git.
    const bin = git.scratch('runbook-git-wrapper-');
    const argvLog = path.join(bin, 'argv.log');
    const wrapper = path.join(bin, 'git');
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${JSON.stringify(argvLog)}\nexec git "$@"\n`);
    chmodSync(wrapper, 0o755);
    const url = git.newRepo();
    const backend = git.backend(url, { gitPath: wrapper });
    await backend.appendBatch([record('s-1', 1), record('s-2', 2)]);
    await collect(backend.read('s-1'));
    await backend.delete('s-2');
    expect((await backend.probe()).ok).toBe(true);
    await backend.close();

    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    expect(git.server.authorizations.length).toBeGreaterThan(0);
    expect(new Set(git.server.authorizations)).toEqual(new Set([`Basic ${basic}`]));
    const argv = readFileSync(argvLog, 'utf8');
    expect(argv).toContain('push');
    expect(argv).not.toContain(TOKEN);
    expect(argv).not.toContain(basic);
    const cacheDir = path.dirname(backend.describe().details!.cache!);
    for (const file of filesUnder(cacheDir)) {
      const content = readFileSync(file);
      expect(content.includes(TOKEN), file).toBe(false);
      expect(content.includes(basic), file).toBe(false);
    }
    expect(JSON.stringify(backend.describe())).not.toContain(TOKEN);
  }, 60_000);

  test('a wrong token is one clear error that does not repeat it', async () => {
    const url = git.newRepo();
    const wrong = 'ghp_wrong000000000000000000000000000000';
    const backend = git.backend(url, { token: wrong });
    const error = await backend.append(record('s', 1)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/refused the token \(HTTP 401\)/);
    expect(error?.message).not.toContain(wrong);
    const probe = await backend.probe();
    expect(probe).toMatchObject({ ok: false, fix: expect.stringContaining('sessionStorage.github.token') });
    expect(JSON.stringify(probe)).not.toContain(wrong);
    await backend.close();
  }, 60_000);
});

describe('rate limits', () => {
  test('Retry-After on a push is waited out, then the batch is stored once', async () => {
    const url = git.newRepo();
    let limited = 1;
    answer = (service, method) =>
      service === 'receive-pack' && method === 'GET' && limited-- > 0
        ? { status: 429, headers: { 'Retry-After': '7' }, body: 'slow down\n' }
        : undefined;
    const waits: number[] = [];
    const backend = git.backend(url, { wait: async (ms) => void waits.push(ms) });
    try {
      expect(await backend.appendBatch([record('limited', 1), record('limited', 2)])).toEqual(['stored', 'stored']);
      // Waited the 7 s the server asked for, counted from its answer.
      expect(waits[0]).toBeGreaterThan(6000);
      expect(waits[0]).toBeLessThanOrEqual(7000);
      expect((await collect(backend.read('limited'))).map((r) => r.payload.seq)).toEqual([1, 2]);
    } finally {
      answer = undefined;
      await backend.close();
    }
  }, 60_000);

  test('a spent limit (403, x-ratelimit-remaining 0) past maxRateLimitWaitMs fails at once, and later flushes do not ask again until the reset', async () => {
    const url = git.newRepo();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    answer = (service) =>
      service === 'upload-pack'
        ? {
            status: 403,
            headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
            body: 'API rate limit exceeded\n',
          }
        : undefined;
    const backend = git.backend(url, { maxRateLimitWaitMs: 5000, wait: async () => {} });
    try {
      const first = await backend.append(record('spent', 1)).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(first?.message).toMatch(/rate limited/);
      const asked = git.server.counts.intercepted;
      const second = await backend.append(record('spent', 2)).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(second?.message).toMatch(
        new RegExp(`rate limited until ${new Date(reset * 1000).toISOString().slice(0, 16)}`),
      );
      expect(git.server.counts.intercepted).toBe(asked);
    } finally {
      answer = undefined;
      await backend.close();
    }
  }, 60_000);
});

describe('an unreachable server', () => {
  test('fails fast with a clear error, leaving the caller to keep the events', async () => {
    const backend = git.backend('http://127.0.0.1:9/nobody/sessions.git');
    const started = Date.now();
    const error = await backend.appendBatch([record('offline', 1)]).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/acme\/sessions/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(statSync(path.dirname(backend.describe().details!.cache!)).isDirectory()).toBe(true);
    await backend.close();
  }, 60_000);
});
