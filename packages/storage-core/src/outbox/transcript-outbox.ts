import type { AppendOutcome, SessionBackend } from '../backend/contract.js';
import type { TranscriptChunk } from '../backend/transcript.js';
import type { MirrorFailure } from '../backend/mirrors.js';
import { RunbookError, describeError } from '../errors.js';
import { openTranscriptSpool, type TranscriptSpool } from './transcript-spool.js';

export interface TranscriptOutboxOptions {
  outboxDir: string;
  primary: SessionBackend;
  mirrors: SessionBackend[];
  /** Milliseconds left of the store's upload budget when called; starts the budget clock when needed. */
  budgetLeft: () => number;
  reportMirror: (failure: MirrorFailure) => void;
  /** Told when a chunk was left in the outbox (upload failed or ran out of budget). */
  onLeftWaiting: (error: unknown, chunk: TranscriptChunk, timedOut: boolean) => void;
}

class BudgetSpent extends Error {
  constructor() {
    super('time budget spent');
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (ms <= 0) return Promise.reject(new BudgetSpent());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetSpent()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The outbox store's `appendTranscript`: the chunk is written to the outbox's transcript folder first (durable),
 * then to the mirrors, then uploaded within what is left of the budget; once the primary has it, the entry
 * goes. A failed or slow upload leaves the entry for `sync` or the background drainer, and still succeeds.
 */
export interface TranscriptOutbox {
  append: (chunk: TranscriptChunk) => Promise<AppendOutcome>;
  read: NonNullable<SessionBackend['readTranscript']>;
  spool: TranscriptSpool;
}

export function transcriptOutboxAppend(options: TranscriptOutboxOptions): TranscriptOutbox {
  const { primary } = options;
  const spool = openTranscriptSpool(options.outboxDir);
  const keeping = options.mirrors.filter((m) => typeof m.appendTranscript === 'function');
  const append = async (chunk: TranscriptChunk): Promise<AppendOutcome> => {
    const left = options.budgetLeft();
    let entry: string | undefined;
    let spoolError: unknown;
    try {
      entry = spool.put(chunk);
    } catch (error) {
      if (error instanceof RunbookError && error.code === 'RECORD_INVALID') throw error;
      spoolError = error;
    }
    const mirrored = Promise.allSettled(keeping.map((m) => m.appendTranscript!(chunk))).then((results) =>
      results.forEach((r, i) => {
        if (r.status === 'rejected')
          options.reportMirror({ backend: keeping[i]!.name, operation: 'append', error: r.reason });
      }),
    );
    const upload = primary.appendTranscript!(chunk);
    upload.catch(() => {});
    let outcome: AppendOutcome | undefined;
    let uploadError: unknown;
    try {
      outcome = await within(upload, left);
    } catch (error) {
      uploadError = error;
    }
    await mirrored;
    if (outcome !== undefined) {
      if (entry !== undefined) spool.remove(entry);
      return outcome;
    }
    if (entry === undefined) {
      throw new RunbookError(
        'STORAGE_WRITE_FAILED',
        `${describeError(spoolError)}; upload to ${primary.name} also failed: ${uploadError instanceof BudgetSpent ? 'time budget spent' : describeError(uploadError)}`,
        { cause: uploadError },
      );
    }
    options.onLeftWaiting(uploadError, chunk, uploadError instanceof BudgetSpent);
    return 'stored';
  };
  const read = options.primary.readTranscript!.bind(options.primary);
  return { append, read: (sessionId, readOptions) => read(sessionId, readOptions), spool };
}
