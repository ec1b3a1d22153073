import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  createOutboxStore,
  createRecord,
  drainLockHolder,
  drainOutbox,
  loadRunbookConfig,
  openOutbox,
  parseOutboxConfig,
  serializeRecord,
  tryAcquireDrainLock,
  DRAIN_LOCK_FILE,
  type AppendOutcome,
  type DrainProgress,
  type SessionBackend,
  type StoredRecord,
} from '../src/index.js';

function tempDir(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `runbook-outbox-${label}-`));
}

/** A ULID for a given time (ids made in one process are clamped to be monotonic, so tests pick their own). */
function ulidAt(ms: number, seq: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = '';
  for (let t = ms, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = alphabet[t % 32] + time;
  let tail = '';
  for (let n = seq, i = 0; i < 16; i++, n = Math.floor(n / 32)) tail = alphabet[n % 32] + tail;
  return time + tail;
}

function event(seq: number, sessionId = 'sess-1', at?: number): StoredRecord {
  const observed = at ?? Date.parse('2026-03-01T10:00:00Z') + seq;
  return createRecord({
    sessionId,
    eventName: 'PostToolUse',
    payload: { seq },
    observedAt: new Date(observed),
    eventId: ulidAt(observed, seq),
  });
}

/**
 * A backend in memory that stores an event id once, like every real backend must, and can be made
 * slow, failing or hung. `appends` counts every call so tests can see work that was repeated.
 */
class MemoryBackend implements SessionBackend {
  readonly name = 'memory';
  readonly stored = new Map<string, StoredRecord>();
  appends = 0;
  inFlight = 0;
  maxInFlight = 0;
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  delayMs = 0;
  closed = false;

  async append(record: StoredRecord): Promise<AppendOutcome> {
    this.appends += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.mode === 'hang') await new Promise(() => {});
      if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.mode === 'fail') throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      if (this.stored.has(record.eventId)) return 'duplicate';
      this.stored.set(record.eventId, record);
      return 'stored';
    } finally {
      this.inFlight -= 1;
    }
  }

  async *read(sessionId: string): AsyncGenerator<StoredRecord> {
    for (const r of [...this.stored.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)))
      if (r.sessionId === sessionId) yield r;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('outbox', () => {
  test('keeps one whole file per event, named in event order, and nothing else', async () => {
    const outbox = openOutbox({ dir: path.join(tempDir('put'), 'nested', 'outbox') });
    const records = [event(0), event(1), event(2)];
    for (const i of [2, 0, 1]) outbox.put(records[i]!);
    outbox.put(structuredClone(records[2]!));
    const names = await outbox.names();
    expect(names).toHaveLength(3);
    expect(readdirSync(outbox.dir).sort()).toEqual(names);
    const back = await Promise.all(names.map((n) => outbox.read(n)));
    expect(back.map((b) => (b?.ok && b.kind === 'event' ? b.record.payload.seq : undefined))).toEqual([0, 1, 2]);
    expect(readFileSync(path.join(outbox.dir, names[0]!), 'utf8')).toBe(serializeRecord(records[0]!));
  });

  test('keeps the same event id of two sessions apart', async () => {
    const outbox = openOutbox({ dir: tempDir('sessions') });
    const a = event(1, 'a');
    outbox.put(a);
    outbox.put({ ...a, sessionId: 'b' });
    expect(await outbox.names()).toHaveLength(2);
  });

  test('an entry removed twice, or read after removal, is not an error', async () => {
    const outbox = openOutbox({ dir: tempDir('remove') });
    const name = outbox.put(event(1));
    outbox.remove(name);
    outbox.remove(name);
    expect(await outbox.read(name)).toBeUndefined();
    expect(await openOutbox({ dir: path.join(tempDir('none'), 'missing') }).names()).toEqual([]);
  });
});

describe('drainOutbox', () => {
  test('sends every entry with bounded concurrency, removes each once stored, and reports progress', async () => {
    const outbox = openOutbox({ dir: tempDir('drain') });
    const records = Array.from({ length: 60 }, (_, i) => event(i));
    for (const r of records) outbox.put(r);
    const backend = new MemoryBackend();
    backend.delayMs = 2;
    const progress: DrainProgress[] = [];
    const result = await drainOutbox(outbox, backend, { concurrency: 5, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({
      total: 60,
      done: 60,
      stored: 60,
      duplicate: 0,
      failed: 0,
      remaining: 0,
      stopped: false,
    });
    expect(backend.maxInFlight).toBeLessThanOrEqual(5);
    expect(backend.maxInFlight).toBeGreaterThan(1);
    expect(await outbox.names()).toEqual([]);
    expect([...backend.stored.keys()].sort()).toEqual(records.map((r) => r.eventId).sort());
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  test('two drains at once leave each event stored once and the outbox empty', async () => {
    const outbox = openOutbox({ dir: tempDir('twice') });
    for (let i = 0; i < 80; i++) outbox.put(event(i));
    const backend = new MemoryBackend();
    backend.delayMs = 1;
    const other = openOutbox({ dir: outbox.dir });
    const [a, b] = await Promise.all([
      drainOutbox(outbox, backend, { concurrency: 4 }),
      drainOutbox(other, backend, { concurrency: 4 }),
    ]);
    expect(backend.stored.size).toBe(80);
    expect(a.stored + b.stored).toBe(80);
    expect(await outbox.names()).toEqual([]);
  });

  test('keeps every entry when the backend is down and stops trying after a run of failures', async () => {
    const outbox = openOutbox({ dir: tempDir('down') });
    for (let i = 0; i < 100; i++) outbox.put(event(i));
    const backend = new MemoryBackend();
    backend.mode = 'fail';
    const result = await drainOutbox(outbox, backend, { concurrency: 4, maxConsecutiveFailures: 6 });
    expect(result.stopped).toBe(true);
    expect(result.remaining).toBe(100);
    expect(result.unsent).toBe(100);
    expect(result.failed).toBeLessThan(20);
    expect(result.failures[0]?.message).toContain('ECONNREFUSED');
    expect(backend.appends).toBeLessThan(20);
  });

  test('counts entries added while it runs as waiting, not as unsent', async () => {
    const outbox = openOutbox({ dir: tempDir('added') });
    for (let i = 0; i < 3; i++) outbox.put(event(i));
    const backend = new MemoryBackend();
    const append = backend.append.bind(backend);
    backend.append = async (record) => {
      if (backend.appends === 0) outbox.put(event(50));
      return append(record);
    };
    const result = await drainOutbox(outbox, backend);
    expect(result).toMatchObject({ stored: 3, remaining: 1, unsent: 0 });
  });

  test('gives up on a hung backend when its signal fires and keeps the entries', async () => {
    const outbox = openOutbox({ dir: tempDir('hung') });
    for (let i = 0; i < 5; i++) outbox.put(event(i));
    const backend = new MemoryBackend();
    backend.mode = 'hang';
    const result = await drainOutbox(outbox, backend, { signal: AbortSignal.timeout(100) });
    expect(result).toMatchObject({ stored: 0, remaining: 5, stopped: true });
  });

  test('moves an unreadable entry aside instead of blocking on it', async () => {
    const outbox = openOutbox({ dir: tempDir('corrupt') });
    outbox.put(event(1));
    writeFileSync(path.join(outbox.dir, '01ZZZZZZZZZZZZZZZZZZZZZZZZ.abc.json'), '{"torn":');
    const backend = new MemoryBackend();
    const result = await drainOutbox(outbox, backend);
    expect(result.stored).toBe(1);
    expect(result.quarantined).toEqual([path.join(outbox.dir, 'corrupt', '01ZZZZZZZZZZZZZZZZZZZZZZZZ.abc.json')]);
    expect(result.remaining).toBe(0);
  });

  test('honours limit, exclude and minimum age', async () => {
    const outbox = openOutbox({ dir: tempDir('select') });
    const now = Date.parse('2026-03-01T12:00:00Z');
    const old = [0, 1, 2, 3].map((i) => event(i, 's', now - 60_000 + i));
    const fresh = event(9, 's', now - 100);
    const names = [...old, fresh].map((r) => outbox.put(r));
    const backend = new MemoryBackend();
    const result = await drainOutbox(outbox, backend, {
      limit: 2,
      exclude: new Set([names[0]!]),
      minAgeMs: 5_000,
      now: () => now,
    });
    expect(result.stored).toBe(2);
    // uploads run concurrently, so compare the set sent, not the order
    expect([...backend.stored.values()].map((r) => r.payload.seq as number).sort()).toEqual([1, 2]);
    expect(result.remaining).toBe(3);
  });
});

describe('createOutboxStore', () => {
  test('uploads within budget, removes the entry and writes the mirror', async () => {
    const outbox = openOutbox({ dir: tempDir('store-ok') });
    const primary = new MemoryBackend();
    const mirror = new MemoryBackend();
    const store = createOutboxStore({ outbox, primary, mirrors: [mirror] });
    const r = event(1);
    expect(await store.append(r)).toBe('stored');
    await store.close();
    expect(primary.stored.has(r.eventId)).toBe(true);
    expect(mirror.stored.has(r.eventId)).toBe(true);
    expect(await outbox.names()).toEqual([]);
    expect(primary.closed && mirror.closed).toBe(true);
  });

  test('a hung primary leaves the event in the outbox, and the append returns once the budget is spent', async () => {
    const outbox = openOutbox({ dir: tempDir('store-hung') });
    const primary = new MemoryBackend();
    primary.mode = 'hang';
    const pending: number[] = [];
    const timedOut: boolean[] = [];
    const store = createOutboxStore({
      outbox,
      primary,
      budgetMs: 150,
      onPending: (n) => void pending.push(n),
      onUploadFailure: (_e, _r, d) => void timedOut.push(d.timedOut),
    });
    const started = Date.now();
    expect(await store.append(event(1))).toBe('stored');
    await store.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await outbox.names()).toHaveLength(1);
    expect(pending).toEqual([1]);
    expect(timedOut).toEqual([true]);
  });

  test('a failing primary is reported, the event waits, and a later drain sends it exactly once', async () => {
    const outbox = openOutbox({ dir: tempDir('store-fail') });
    const primary = new MemoryBackend();
    primary.mode = 'fail';
    const failures: string[] = [];
    const store = createOutboxStore({ outbox, primary, onUploadFailure: (e) => void failures.push(String(e)) });
    const r = event(1);
    await store.append(r);
    await store.close();
    expect(failures).toHaveLength(1);
    primary.mode = 'ok';
    const first = await drainOutbox(outbox, primary);
    const second = await drainOutbox(outbox, primary);
    expect([first.stored, second.total]).toEqual([1, 0]);
    expect(primary.stored.size).toBe(1);
  });

  test('after its own upload, sends a few older waiting events on close', async () => {
    const outbox = openOutbox({ dir: tempDir('store-drain') });
    for (let i = 0; i < 12; i++) outbox.put(event(i, 's', Date.now() - 60_000 + i));
    const primary = new MemoryBackend();
    const pending: number[] = [];
    const store = createOutboxStore({ outbox, primary, opportunisticLimit: 5, onPending: (n) => void pending.push(n) });
    await store.append(event(100));
    await store.close();
    expect(primary.stored.size).toBe(6);
    expect(await outbox.names()).toHaveLength(7);
    expect(pending).toEqual([7]);
  });

  test('when the event cannot be spooled, the upload is still tried', async () => {
    const file = path.join(tempDir('store-nospool'), 'not-a-dir');
    writeFileSync(file, '');
    const primary = new MemoryBackend();
    const store = createOutboxStore({ outbox: openOutbox({ dir: path.join(file, 'outbox') }), primary });
    expect(await store.append(event(1))).toBe('stored');
    primary.mode = 'fail';
    await expect(store.append(event(2))).rejects.toMatchObject({ code: 'STORAGE_WRITE_FAILED' });
  });
});

describe('drain lock', () => {
  test('one holder at a time; released on release', () => {
    const dir = tempDir('lock');
    const lock = tryAcquireDrainLock(dir);
    expect(lock).toBeDefined();
    expect(tryAcquireDrainLock(dir)).toBeUndefined();
    expect(drainLockHolder(dir)?.pid).toBe(process.pid);
    lock!.release();
    expect(drainLockHolder(dir)).toBeUndefined();
    tryAcquireDrainLock(dir)!.release();
  });

  test('takes over a lock whose process is gone', () => {
    const dir = tempDir('lock-dead');
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    writeFileSync(path.join(dir, DRAIN_LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname() }));
    expect(drainLockHolder(dir)).toBeUndefined();
    const lock = tryAcquireDrainLock(dir);
    expect(lock).toBeDefined();
    lock!.release();
  });

  test('takes over a lock not refreshed for longer than the stale time', () => {
    const dir = tempDir('lock-stale');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, DRAIN_LOCK_FILE);
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(file, old, old);
    expect(tryAcquireDrainLock(dir, { staleMs: 60_000 })).toBeDefined();
  });
});

describe('parseOutboxConfig', () => {
  async function config(yaml: string) {
    const dir = tempDir('config');
    mkdirSync(path.join(dir, '.runbook'));
    writeFileSync(path.join(dir, '.runbook', 'config.yaml'), `integrations:\n  claude:\n    sessionStorage:\n${yaml}`);
    return loadRunbookConfig({ projectDir: dir, env: {} });
  }

  test('defaults under the local base directory', async () => {
    expect(parseOutboxConfig(await config('      backend: s3\n'), '/p/.runbook/hooks/claude')).toEqual({
      dir: '/p/.runbook/hooks/claude/outbox',
      budgetMs: 600,
      background: true,
      concurrency: 16,
      idleMs: 5_000,
      lifetimeMs: 600_000,
      retryMaxMs: 30_000,
      fsync: false,
    });
  });

  test('names a bad value in one line', async () => {
    await expect(async () =>
      parseOutboxConfig(await config('      outbox:\n        budgetMs: fast\n'), '/b'),
    ).rejects.toThrow(
      /config\.yaml: integrations\.claude\.sessionStorage\.outbox\.budgetMs: must be a whole number from 1 to 60000, got "fast"$/,
    );
    await expect(async () =>
      parseOutboxConfig(await config('      outbox:\n        backgroud: false\n'), '/b'),
    ).rejects.toThrow(/outbox\.backgroud: is not an outbox option/);
  });
});
