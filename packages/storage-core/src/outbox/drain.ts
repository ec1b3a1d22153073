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

export interface DrainOptions {
  /** Appends in flight at once (default 8). */
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
  /** Append one record; defaults to `backend.append(record)`. */
  append?: (backend: SessionBackend, record: StoredRecord, signal?: AbortSignal) => Promise<AppendOutcome>;
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
}

const MAX_FAILURES_KEPT = 5;

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new RunbookError('STORAGE_WRITE_FAILED', 'upload abandoned: time budget spent'));
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

/**
 * Send waiting entries to a backend with bounded concurrency and remove each once the backend has it
 * (`stored` or `duplicate`). Safe to run while other processes drain or append the same events:
 * backends store an event id once, and removing an entry already gone is fine.
 */
export async function drainOutbox(outbox: Outbox, backend: SessionBackend, options: DrainOptions = {}): Promise<DrainResult> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const maxConsecutive = options.maxConsecutiveFailures ?? concurrency * 2;
  const now = options.now ?? Date.now;
  const { signal } = options;
  const append = options.append ?? ((b: SessionBackend, record: StoredRecord) => b.append(record));

  let names = await outbox.names();
  if (options.exclude) names = names.filter((n) => !options.exclude!.has(n));
  if (options.minAgeMs !== undefined) {
    const cutoff = now() - options.minAgeMs;
    names = names.filter((n) => (outboxEntryTime(n) ?? 0) <= cutoff);
  }
  if (options.limit !== undefined) names = names.slice(0, Math.max(0, options.limit));

  const result: DrainResult = { total: names.length, done: 0, stored: 0, duplicate: 0, failed: 0, quarantined: [], failures: [], remaining: 0, unsent: 0, stopped: false };
  let next = 0;
  let consecutiveFailures = 0;
  const report = () => options.onProgress?.({ total: result.total, done: result.done, stored: result.stored, duplicate: result.duplicate, failed: result.failed });

  function fail(entry: string, error: unknown): void {
    result.failed += 1;
    consecutiveFailures += 1;
    if (result.failures.length < MAX_FAILURES_KEPT) result.failures.push({ entry, message: describeError(error) });
    if (consecutiveFailures >= maxConsecutive) result.stopped = true;
  }

  async function sendOne(name: string): Promise<void> {
    const entry = await outbox.read(name);
    if (entry === undefined) return; // sent and removed by someone else meanwhile
    if (!entry.ok) {
      result.quarantined.push(await outbox.quarantine(name));
      return;
    }
    let outcome: AppendOutcome;
    try {
      outcome = await abortable(append(backend, entry.record, signal), signal);
    } catch (error) {
      fail(name, error);
      return;
    }
    consecutiveFailures = 0;
    if (outcome === 'duplicate') result.duplicate += 1;
    else result.stored += 1;
    outbox.remove(name);
  }

  async function worker(): Promise<void> {
    while (next < names.length && !result.stopped && !signal?.aborted) {
      const name = names[next++]!;
      try {
        await sendOne(name);
      } catch (error) {
        fail(name, error);
      }
      result.done += 1;
      report();
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  if (signal?.aborted) result.stopped = true;
  const left = await outbox.names();
  const mine = new Set(names);
  result.remaining = left.length;
  result.unsent = left.filter((n) => mine.has(n)).length;
  return result;
}
