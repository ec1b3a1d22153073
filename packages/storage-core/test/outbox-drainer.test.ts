import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  adoptDrainLock,
  createRecord,
  createSpoolStore,
  drainLockHolder,
  drainOutbox,
  loadRunbookConfig,
  moveOutboxEntries,
  openOutbox,
  outboxEntryKind,
  parseOutboxConfig,
  processStartTime,
  tryAcquireDrainLock,
  DRAIN_LOCK_FILE,
  type AppendOutcome,
  type SessionBackend,
  type StoredRecord,
} from '../src/index.js';

function tempDir(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `runbook-drainer-${label}-`));
}

function event(seq: number, sessionId = 'sess-1'): StoredRecord {
  return createRecord({ sessionId, eventName: 'PostToolUse', payload: { seq } });
}

/** Stores each event id once; counts single and batch calls. */
class BatchingBackend implements SessionBackend {
  readonly name = 'batching';
  readonly stored = new Map<string, StoredRecord>();
  singles = 0;
  batches: number[] = [];
  failBatches = 0;

  async append(record: StoredRecord): Promise<AppendOutcome> {
    this.singles += 1;
    return this.keep(record);
  }

  async appendBatch(records: StoredRecord[]): Promise<AppendOutcome[]> {
    if (this.failBatches > 0) {
      this.failBatches -= 1;
      throw new Error('503 Slow Down');
    }
    this.batches.push(records.length);
    return records.map((r) => this.keep(r));
  }

  private keep(record: StoredRecord): AppendOutcome {
    if (this.stored.has(record.eventId)) return 'duplicate';
    this.stored.set(record.eventId, record);
    return 'stored';
  }

  async *read(): AsyncGenerator<StoredRecord> {}
}

describe('appendBatch', () => {
  test('a backend with appendBatch gets the waiting events in batches, one batch at a time, and each once', async () => {
    const outbox = openOutbox({ dir: tempDir('batch') });
    const records = Array.from({ length: 250 }, (_, i) => event(i));
    for (const r of records) outbox.put(r);
    const backend = new BatchingBackend();
    const result = await drainOutbox(outbox, backend, { concurrency: 16 });
    expect(result).toMatchObject({ stored: 250, failed: 0, remaining: 0 });
    expect(backend.singles).toBe(0);
    expect(backend.batches).toEqual([100, 100, 50]);
    expect(await outbox.names()).toEqual([]);
  });

  test('a failed batch leaves all its events waiting; the next drain sends them', async () => {
    const outbox = openOutbox({ dir: tempDir('batch-fail') });
    for (let i = 0; i < 30; i++) outbox.put(event(i));
    const backend = new BatchingBackend();
    backend.failBatches = 5;
    const failed = await drainOutbox(outbox, backend, { batchSize: 10 });
    expect(failed).toMatchObject({ stored: 0, failed: 20, stopped: true, remaining: 30 });
    backend.failBatches = 0;
    expect(await drainOutbox(outbox, backend, { batchSize: 10 })).toMatchObject({ stored: 30, remaining: 0 });
  });
});

describe('entry kinds', () => {
  test('entries of another kind keep their kind in the name, read back as data and go to their sender', async () => {
    const outbox = openOutbox({ dir: tempDir('kinds') });
    const e = event(1);
    outbox.put(e);
    const chunk = outbox.putItem(
      'transcript-chunk',
      { id: e.eventId.replace(/.$/, 'Z'), sessionId: 'sess-1' },
      { offset: 0, text: 'hello' },
    );
    expect(outboxEntryKind(chunk)).toBe('transcript-chunk');
    expect(outboxEntryKind((await outbox.names())[0]!)).toBe('event');
    expect(await outbox.read(chunk)).toEqual({
      ok: true,
      kind: 'other',
      entryKind: 'transcript-chunk',
      data: { offset: 0, text: 'hello' },
    });
    expect(() => outbox.putItem('Bad Kind', { id: e.eventId, sessionId: 's' }, {})).toThrow(
      /kind must be lower-case words/,
    );

    const backend = new BatchingBackend();
    const left = await drainOutbox(outbox, backend);
    expect(left).toMatchObject({ stored: 1, skipped: 1, remaining: 1 });
    const seen: unknown[] = [];
    const sent = await drainOutbox(outbox, backend, {
      senders: {
        'transcript-chunk': async (_b, data) => {
          seen.push(data);
          return 'stored';
        },
      },
    });
    expect(sent).toMatchObject({ stored: 1, remaining: 0 });
    expect(seen).toEqual([{ offset: 0, text: 'hello' }]);
  });
});

describe('spool store', () => {
  test('makes the event durable in the outbox and the mirror, and reports what it spooled on close', async () => {
    const outbox = openOutbox({ dir: tempDir('spool') });
    const mirror = new BatchingBackend();
    const told: string[][] = [];
    const store = createSpoolStore({
      outbox,
      mirrors: [mirror],
      onSpooled: (records) => void told.push(records.map((r) => r.eventName)),
    });
    expect(await store.append(event(1))).toBe('stored');
    expect(await outbox.names()).toHaveLength(1);
    expect(mirror.stored.size).toBe(1);
    await store.close();
    expect(told).toEqual([['PostToolUse']]);
  });

  test('an outbox that cannot be written fails the append and says whether a local copy was kept', async () => {
    const file = path.join(tempDir('spool-bad'), 'file');
    writeFileSync(file, '');
    const store = createSpoolStore({
      outbox: openOutbox({ dir: path.join(file, 'outbox') }),
      mirrors: [new BatchingBackend()],
    });
    await expect(store.append(event(1))).rejects.toThrow(/a local copy was kept, but it will not be uploaded/);
  });
});

describe('moveOutboxEntries', () => {
  test('moves every entry under its own name, once', async () => {
    const from = openOutbox({ dir: tempDir('move-from') });
    const to = openOutbox({ dir: path.join(tempDir('move-to'), 'outbox') });
    for (let i = 0; i < 3; i++) from.put(event(i));
    const names = await from.names();
    expect(await moveOutboxEntries(from, to)).toBe(3);
    expect(await to.names()).toEqual(names);
    expect(await from.names()).toEqual([]);
    expect(await moveOutboxEntries(to, to)).toBe(0);
  });
});

describe('drain lock', () => {
  test('a holder whose pid now belongs to another process is not taken for alive', () => {
    const dir = tempDir('lock-reused');
    writeFileSync(
      path.join(dir, DRAIN_LOCK_FILE),
      JSON.stringify({ pid: process.pid, host: hostname(), start: 'not-the-start-time', token: 't' }),
    );
    if (processStartTime(process.pid) === undefined) return; // no /proc here: only the heartbeat can tell
    expect(drainLockHolder(dir)).toBeUndefined();
    expect(tryAcquireDrainLock(dir)).toBeDefined();
  });

  test('a lock handed to a started process names it, and only the token holder adopts it', () => {
    const dir = tempDir('lock-hand');
    const lock = tryAcquireDrainLock(dir)!;
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    lock.handOver(Number(child.stdout.toString()));
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(Number(child.stdout.toString()));
    expect(drainLockHolder(dir)).toBeUndefined(); // that process has exited
    expect(adoptDrainLock(dir, 'another token')).toBeUndefined();
    const adopted = adoptDrainLock(dir, lock.token)!;
    expect(drainLockHolder(dir)?.pid).toBe(process.pid);
    expect(adopted.refresh()).toBe(true);
    adopted.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  test('a holder whose lock was taken over as stale learns it and does not remove the new lock', () => {
    const dir = tempDir('lock-lost');
    const old = tryAcquireDrainLock(dir)!;
    const next = tryAcquireDrainLock(dir, { staleMs: -1 })!; // its heartbeat counts as stopped
    expect(next).toBeDefined();
    expect(old.refresh()).toBe(false);
    old.release();
    expect(next.owned()).toBe(true);
    next.release();
  });

  test('many processes racing for one lock: exactly one gets it', async () => {
    const dir = tempDir('lock-race');
    mkdirSync(dir, { recursive: true });
    // The built package: these are separate Node processes, as hooks are.
    const modulePath = pathToFileURL(path.resolve(import.meta.dirname, '../dist/index.js')).href;
    // Each holds on until every one has tried (its stdin closes), so no winner exits and leaves a lock to take over.
    const script = `
      const { tryAcquireDrainLock } = await import(${JSON.stringify(modulePath)});
      const lock = tryAcquireDrainLock(${JSON.stringify(dir)});
      process.stdout.write(lock ? 'got' : 'no');
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0));
    `;
    // A stale lock to start from, so the takeover path races too.
    writeFileSync(
      path.join(dir, DRAIN_LOCK_FILE),
      JSON.stringify({ pid: 999_999_999, host: hostname(), token: 'gone' }),
    );
    const children = Array.from({ length: 8 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const runs = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout!.on('data', (c: Buffer) => {
              out += c.toString();
              resolve(out);
            });
            child.on('close', () => resolve(out));
          }),
      ),
    );
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            child.on('close', resolve);
            child.stdin!.end();
          }),
      ),
    );
    expect(runs.filter((r) => r === 'got')).toHaveLength(1);
    expect(runs.filter((r) => r === 'no')).toHaveLength(7);
  });
});

describe('outbox config', () => {
  test('drainer timing has defaults and limits', async () => {
    const dir = tempDir('config');
    mkdirSync(path.join(dir, '.runbook'));
    writeFileSync(
      path.join(dir, '.runbook', 'config.yaml'),
      'integrations:\n  claude:\n    sessionStorage:\n      backend: s3\n      upload: inline\n      outbox:\n        idleMs: 500\n',
    );
    const config = await loadRunbookConfig({ projectDir: dir, env: {} });
    expect(config.sessionStorage.upload).toBe('inline');
    expect(parseOutboxConfig(config, '/b')).toMatchObject({
      idleMs: 500,
      lifetimeMs: 600_000,
      retryMaxMs: 30_000,
      fsync: false,
    });
    writeFileSync(
      path.join(dir, '.runbook', 'config.yaml'),
      'integrations:\n  claude:\n    sessionStorage:\n      upload: later\n',
    );
    await expect(loadRunbookConfig({ projectDir: dir, env: {} })).rejects.toThrow(
      /sessionStorage\.upload: must be one of spool, inline, got "later"/,
    );
  });
});
