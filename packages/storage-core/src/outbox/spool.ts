import type { AppendOutcome } from '../backend/contract.js';
import type { SessionBackend } from '../backend/contract.js';
import type { MirrorFailure } from '../backend/mirrors.js';
import { RunbookError, describeError } from '../errors.js';
import type { Outbox } from './outbox.js';
import type { StoredRecord } from '../record/record.js';
import type { TranscriptChunk } from '../backend/transcript.js';
import { openTranscriptSpool } from './transcript-spool.js';

export interface SpoolStoreOptions {
  outbox: Outbox;
  /** Kept copies written next to the outbox entry (e.g. the local mirror). */
  mirrors?: SessionBackend[];
  onMirrorFailure?: (failure: MirrorFailure) => void;
  /** Told on close when this store spooled events (e.g. to start or wake the drainer). */
  onSpooled?: (records: StoredRecord[]) => void | Promise<void>;
}

/** Appends that only make events durable in the outbox (and the mirrors); a drainer uploads them later. */
export interface SpoolStore {
  readonly name: string;
  readonly outbox: Outbox;
  append(record: StoredRecord): Promise<AppendOutcome>;
  /**
   * Make a transcript chunk durable in the outbox's `transcripts/` folder (and in the mirrors that keep
   * transcripts); the drainer sends it when the backend keeps transcripts.
   */
  appendTranscript(chunk: TranscriptChunk): Promise<AppendOutcome>;
  /** Report what was spooled (`onSpooled`), then close the mirrors. */
  close(): Promise<void>;
}

/**
 * The hook's write path for a remote primary: the event is written to the outbox (a whole file,
 * renamed into place) and to the mirrors, and the append returns. No remote client is loaded or
 * contacted; uploads are the drainer's job. The append fails only when the outbox write fails (the
 * error says whether a mirror kept a copy).
 */
export function createSpoolStore(options: SpoolStoreOptions): SpoolStore {
  const { outbox } = options;
  const mirrors = options.mirrors ?? [];
  const reportMirror = options.onMirrorFailure ?? (() => {});
  const spooled: StoredRecord[] = [];
  const transcripts = openTranscriptSpool(outbox.dir);
  const keepingTranscripts = mirrors.filter((m) => typeof m.appendTranscript === 'function');
  return {
    name: 'outbox',
    outbox,
    async append(record) {
      let spoolError: unknown;
      try {
        outbox.put(record);
        spooled.push(record);
      } catch (error) {
        spoolError = error;
      }
      const results = await Promise.allSettled(mirrors.map((m) => m.append(record)));
      results.forEach((r, i) => {
        if (r.status === 'rejected') reportMirror({ backend: mirrors[i]!.name, operation: 'append', error: r.reason });
      });
      if (spoolError !== undefined) {
        const kept = results.some((r) => r.status === 'fulfilled')
          ? '; a local copy was kept, but it will not be uploaded'
          : '';
        throw new RunbookError('STORAGE_WRITE_FAILED', `${describeError(spoolError)}${kept}`, { cause: spoolError });
      }
      return 'stored';
    },
    async appendTranscript(chunk) {
      transcripts.put(chunk);
      const results = await Promise.allSettled(keepingTranscripts.map((m) => m.appendTranscript!(chunk)));
      results.forEach((r, i) => {
        if (r.status === 'rejected')
          reportMirror({ backend: keepingTranscripts[i]!.name, operation: 'append', error: r.reason });
      });
      return 'stored';
    },
    async close() {
      try {
        if (spooled.length > 0) await options.onSpooled?.(spooled);
      } finally {
        await Promise.allSettled(mirrors.map((m) => m.close?.()));
      }
    },
  };
}
