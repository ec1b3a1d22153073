import type { AppendOutcome, SessionBackend } from '../backend/contract.js';
import { RunbookError, describeError } from '../errors.js';
import { outboxEntryTime, type Outbox } from './outbox.js';
import type { StoredRecord } from '../record/record.js';

export interface DrainProgress {
  /** Entries this drain set out to send. */
  total: number;
  /** Entries finished so far, whatever the outcome. */
  done: number;
  stored: number;
  duplicate: number;
  failed: number;
}

/** Sends the data of one entry of a kind other than events (see `Outbox.putItem`). */
export type EntrySender = (backend: SessionBackend, data: unknown, signal?: AbortSignal) => Promise<AppendOutcome>;

export interface DrainOptions {
  /** Appends in flight at once (default 8). Batches (`appendBatch`) go one at a time. */
  concurrency?: number;
  /** Send at most this many entries (default: all). */
  limit?: number;
  /** Only entries whose event is at least this old (ms), so work another process just started is left to it. */
  minAgeMs?: number;
  /** Entries not to touch (e.g. the one a caller is sending itself). */
  exclude?: ReadonlySet<string>;
  /** Stop starting new appends after this many failures in a row (default `2 × concurrency`): the backend is down. */
  maxConsecutiveFailures?: number;
  /** Stop when this fires; appends in flight are no longer waited for and their entries stay. */
  signal?: AbortSignal;
  onProgress?: (progress: DrainProgress) => void;
  /** Append one record; defaults to `backend.append(record)`. Given, it is used instead of `appendBatch`. */
  append?: (backend: SessionBackend, record: StoredRecord, signal?: AbortSignal) => Promise<AppendOutcome>;
  /** Records per `appendBatch` call when the backend has it (default 100). */
  batchSize?: number;
  /** Senders for entries of other kinds, by kind; entries of a kind with none are left waiting (`skipped`). */
  senders?: Readonly<Record<string, EntrySender>>;
  now?: () => number;
}

export interface DrainFailure {
  entry: string;
  message: string;
}

export interface DrainResult extends DrainProgress {
  /** Unreadable entries moved to `<outbox>/corrupt/`. */
  quarantined: string[];
  /** The first few failures, one line each. */
  failures: DrainFailure[];
  /** Entries still in the outbox when the drain ended, including any added meanwhile. */
  remaining: number;
  /** Of the entries this drain set out to send, those still waiting at the end (failed or not tried). */
  unsent: number;
  /** The drain ended early (signal, or too many failures in a row). */
  stopped: boolean;
  /** Entries of a kind this drain has no sender for, left waiting. */
  skipped: number;
}

const MAX_FAILURES_KEPT = 5;

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted)
    return Promise.reject(new RunbookError('STORAGE_WRITE_FAILED', 'upload abandoned: time budget spent'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RunbookError('STORAGE_WRITE_FAILED', 'upload abandoned: time budget spent'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

interface Loaded {
  name: string;
  record: StoredRecord;
}

/**
 * Send waiting entries to a backend with bounded concurrency and remove each once the backend has it
 * (`stored` or `duplicate`). Events go through `appendBatch` when the backend has it, else `append`;
 * entries of other kinds through their `senders`. Safe to run while other processes drain or append
 * the same events: backends store an event id once, and removing an entry already gone is fine.
 */
export async function drainOutbox(
  outbox: Outbox,
  backend: SessionBackend,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const batching = options.append === undefined && typeof backend.appendBatch === 'function';
  // A failed batch counts once: two in a row mean the backend is down.
  const maxConsecutive = options.maxConsecutiveFailures ?? (batching ? 2 : concurrency * 2);
  const now = options.now ?? Date.now;
  const { signal } = options;
  const append = options.append ?? ((b: SessionBackend, record: StoredRecord) => b.append(record));
  const batchSize = Math.max(1, options.batchSize ?? 100);

  let names = await outbox.names();
  if (options.exclude) names = names.filter((n) => !options.exclude!.has(n));
  if (options.minAgeMs !== undefined) {
    const cutoff = now() - options.minAgeMs;
    names = names.filter((n) => (outboxEntryTime(n) ?? 0) <= cutoff);
  }
  if (options.limit !== undefined) names = names.slice(0, Math.max(0, options.limit));

  const result: DrainResult = {
    total: names.length,
    done: 0,
    stored: 0,
    duplicate: 0,
    failed: 0,
    quarantined: [],
    failures: [],
    remaining: 0,
    unsent: 0,
    stopped: false,
    skipped: 0,
  };
  let next = 0;
  let consecutiveFailures = 0;
  const report = () =>
    options.onProgress?.({
      total: result.total,
      done: result.done,
      stored: result.stored,
      duplicate: result.duplicate,
      failed: result.failed,
    });

  function fail(entries: string[], error: unknown): void {
    result.failed += entries.length;
    consecutiveFailures += batching ? 1 : entries.length;
    if (result.failures.length < MAX_FAILURES_KEPT)
      result.failures.push({ entry: entries[0] ?? '', message: describeError(error) });
    if (consecutiveFailures >= maxConsecutive) result.stopped = true;
  }

  function settled(name: string, outcome: AppendOutcome): void {
    consecutiveFailures = 0;
    if (outcome === 'duplicate') result.duplicate += 1;
    else result.stored += 1;
    outbox.remove(name);
  }

  /** Read one entry; events are returned for sending, other kinds are sent here. */
  async function load(name: string): Promise<Loaded | undefined> {
    const entry = await outbox.read(name);
    if (entry === undefined) return undefined; // sent and removed by someone else meanwhile
    if (!entry.ok) {
      result.quarantined.push(await outbox.quarantine(name));
      return undefined;
    }
    if (entry.kind === 'event') return { name, record: entry.record };
    const send = options.senders?.[entry.entryKind];
    if (!send) {
      result.skipped += 1;
      return undefined;
    }
    try {
      settled(name, await abortable(send(backend, entry.data, signal), signal));
    } catch (error) {
      fail([name], error);
    }
    return undefined;
  }

  async function sendOne(name: string): Promise<void> {
    const loaded = await load(name);
    if (!loaded) return;
    let outcome: AppendOutcome;
    try {
      outcome = await abortable(append(backend, loaded.record, signal), signal);
    } catch (error) {
      fail([name], error);
      return;
    }
    settled(name, outcome);
  }

  async function sendBatch(batch: string[]): Promise<void> {
    const loaded: Loaded[] = [];
    for (const name of batch) {
      try {
        const one = await load(name);
        if (one) loaded.push(one);
      } catch (error) {
        fail([name], error);
      }
    }
    if (loaded.length === 0) return;
    let outcomes: AppendOutcome[];
    try {
      outcomes = await abortable(backend.appendBatch!(loaded.map((l) => l.record)), signal);
      if (!Array.isArray(outcomes) || outcomes.length !== loaded.length) {
        throw new RunbookError(
          'STORAGE_WRITE_FAILED',
          `${backend.name}: appendBatch returned ${Array.isArray(outcomes) ? outcomes.length : 'no'} outcomes for ${loaded.length} records`,
        );
      }
    } catch (error) {
      fail(
        loaded.map((l) => l.name),
        error,
      );
      return;
    }
    for (const [i, l] of loaded.entries()) settled(l.name, outcomes[i]!);
  }

  async function worker(): Promise<void> {
    while (next < names.length && !result.stopped && !signal?.aborted) {
      const name = names[next++]!;
      try {
        await sendOne(name);
      } catch (error) {
        fail([name], error);
      }
      result.done += 1;
      report();
    }
  }

  async function batcher(): Promise<void> {
    while (next < names.length && !result.stopped && !signal?.aborted) {
      const batch = names.slice(next, next + batchSize);
      next += batch.length;
      await sendBatch(batch);
      result.done += batch.length;
      report();
    }
  }

  if (batching) await batcher();
  else await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  if (signal?.aborted) result.stopped = true;
  const left = await outbox.names();
  const mine = new Set(names);
  result.remaining = left.length;
  result.unsent = left.filter((n) => mine.has(n)).length;
  return result;
}
