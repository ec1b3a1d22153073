import type { AppendOutcome, SessionBackend } from '../backend/contract.js';
import type { TranscriptChunk } from '../backend/transcript.js';
import type { MirrorFailure } from '../backend/mirrors.js';
import { RunbookError } from '../errors.js';
import { openTranscriptSpool, type TranscriptSpool } from './transcript-spool.js';
import { settleUpload } from './upload-within-budget.js';

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
    const settled = await settleUpload({
      entry,
      spoolError,
      upload: primary.appendTranscript!(chunk),
      mirrored,
      budgetMs: left,
      primaryName: primary.name,
      remove: (name) => spool.remove(name),
    });
    if (settled.outcome !== undefined) return settled.outcome;
    options.onLeftWaiting(settled.error, chunk, settled.timedOut);
    return 'stored';
  };
  const read = options.primary.readTranscript!.bind(options.primary);
  return { append, read: (sessionId, readOptions) => read(sessionId, readOptions), spool };
}
