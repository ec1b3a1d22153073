import type { AppendOutcome, ReadOptions, SessionBackend } from '../backend/contract.js';
import { fanOutToMirrors, type MirrorFailure } from '../backend/mirrors.js';
import { forwardListAndCompact } from '../backend/forward.js';
import { drainOutbox, type DrainResult } from './drain.js';
import type { Outbox } from './outbox.js';
import type { StoredRecord } from '../record/record.js';
import { transcriptOutboxAppend, type TranscriptOutbox } from './transcript-outbox.js';
import { settleUpload } from './upload-within-budget.js';

export const DEFAULT_UPLOAD_BUDGET_MS = 600;

export interface OutboxStoreOptions {
  outbox: Outbox;
  /** Where events go: usually a remote backend. */
  primary: SessionBackend;
  /** Kept copies written next to the outbox entry (e.g. the local mirror). */
  mirrors?: SessionBackend[];
  /** How long one append waits for the primary before leaving the event in the outbox (default 600 ms). */
  budgetMs?: number;
  /** When closing after appends, send up to this many older waiting entries within what is left of the budget (default 8). */
  opportunisticLimit?: number;
  /** Only entries at least this old are sent opportunistically (default 5 s), so another hook's own upload is left to it. */
  opportunisticMinAgeMs?: number;
  onMirrorFailure?: (failure: MirrorFailure) => void;
  /** Told when an upload failed or did not finish within the budget (`timedOut`); the event is safe in the outbox. */
  onUploadFailure?: (error: unknown, record: StoredRecord, details: { timedOut: boolean }) => void;
  /** Told on close when entries are still waiting (e.g. to start a background drain). */
  onPending?: (pending: number) => void | Promise<void>;
  now?: () => number;
}

/** A store that makes each event durable in an outbox first, then uploads it within a time budget. */
export interface OutboxStore extends SessionBackend {
  readonly outbox: Outbox;
  /** What the last close-time drain did, for diagnostics. */
  readonly lastDrain?: DrainResult;
  /** Settle (see above), then close the primary and mirrors. */
  close(): Promise<void>;
}

/**
 * The write path of an at-least-once shipper:
 *
 * 1. the event is written to the outbox (a whole file, renamed into place) and to the mirrors;
 * 2. the primary gets it within `budgetMs`; once it has it (`stored` or `duplicate`) the entry goes;
 * 3. an upload that fails or overruns leaves the entry for a later drain, and the append still
 *    succeeds, because the event is safe on disk.
 *
 * On close, a store that appended sends a few older waiting entries if budget is left, then reports
 * what is still waiting through `onPending`. Reads, listing and deletes go to the primary.
 */
export function createOutboxStore(options: OutboxStoreOptions): OutboxStore {
  const { outbox, primary } = options;
  const mirrors = fanOutToMirrors(options.mirrors ?? [], options.onMirrorFailure);
  const primaryDelete = primary.delete?.bind(primary);
  const budgetMs = options.budgetMs ?? DEFAULT_UPLOAD_BUDGET_MS;
  const now = options.now ?? Date.now;
  let budgetStart: number | undefined;
  let appended = false;
  let anyLeftWaiting = false;
  const own = new Set<string>();
  let lastDrain: DrainResult | undefined;

  const spent = () => (budgetStart === undefined ? 0 : now() - budgetStart);

  // Transcript chunks take the same path as events, into the outbox's transcripts folder.
  let transcriptsLeftWaiting = false;
  const transcripts: TranscriptOutbox | undefined =
    primary.appendTranscript && primary.readTranscript
      ? transcriptOutboxAppend({
          outboxDir: outbox.dir,
          primary,
          mirrors: options.mirrors ?? [],
          budgetLeft: () => {
            budgetStart ??= now();
            return budgetMs - spent();
          },
          reportMirror: options.onMirrorFailure ?? (() => {}),
          onLeftWaiting: () => {
            transcriptsLeftWaiting = true;
          },
        })
      : undefined;

  async function settle(): Promise<void> {
    const pending = await settleEvents();
    // Transcript chunks left waiting start the background drainer like events do.
    if (pending === 0 && transcriptsLeftWaiting && transcripts)
      await options.onPending?.(transcripts.spool.countSync());
  }

  /** Send a few older entries if budget is left; report what still waits. Returns the events reported waiting. */
  async function settleEvents(): Promise<number> {
    if (!appended) return 0;
    const left = budgetMs - spent();
    if (!anyLeftWaiting && left > 50) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), left);
      try {
        lastDrain = await drainOutbox(outbox, primary, {
          limit: options.opportunisticLimit ?? 8,
          minAgeMs: options.opportunisticMinAgeMs ?? 5_000,
          exclude: own,
          concurrency: 4,
          maxConsecutiveFailures: 1,
          signal: controller.signal,
        });
      } finally {
        clearTimeout(timer);
      }
      if (lastDrain.remaining > 0) await options.onPending?.(lastDrain.remaining);
      return lastDrain.remaining;
    }
    const pending = (await outbox.names()).length;
    if (pending > 0) await options.onPending?.(pending);
    return pending;
  }

  const store: OutboxStore = {
    name: `${primary.name}+outbox`,
    ...forwardListAndCompact(primary),
    ...(primaryDelete ? { delete: (sessionId: string): Promise<void> => primaryDelete(sessionId) } : {}),
    ...(transcripts ? { appendTranscript: transcripts.append, readTranscript: transcripts.read } : {}),
    outbox,
    get lastDrain() {
      return lastDrain;
    },

    async append(record: StoredRecord): Promise<AppendOutcome> {
      budgetStart ??= now();
      appended = true;
      let entry: string | undefined;
      let spoolError: unknown;
      try {
        entry = outbox.put(record);
        own.add(entry);
      } catch (error) {
        spoolError = error;
      }
      const settled = await settleUpload({
        entry,
        spoolError,
        // Mirrors first, then the primary, as before: the local copy starts as early as possible.
        mirrored: mirrors.append(record),
        upload: primary.append(record),
        budgetMs: budgetMs - spent(),
        primaryName: primary.name,
        remove: (name) => outbox.remove(name),
      });
      if (settled.outcome !== undefined) return settled.outcome;
      anyLeftWaiting = true;
      options.onUploadFailure?.(settled.error, record, { timedOut: settled.timedOut });
      return 'stored';
    },

    read(sessionId: string, readOptions?: ReadOptions): AsyncIterable<StoredRecord> {
      return primary.read(sessionId, readOptions);
    },

    async close(): Promise<void> {
      try {
        await settle();
      } finally {
        await Promise.allSettled([primary.close?.(), mirrors.close()]);
      }
    },
  };
  return store;
}
