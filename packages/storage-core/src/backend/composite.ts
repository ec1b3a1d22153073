import type { AppendOutcome, ReadOptions, SessionBackend } from './contract.js';
import { describeError, RunbookError } from '../errors.js';
import { forwardListAndCompact } from './forward.js';
import { forwardTranscripts } from './transcript-forward.js';
import { fanOutToMirrors, type MirrorFailure } from './mirrors.js';
import type { StoredRecord } from '../record/record.js';

export interface CompositeOptions {
  primary: SessionBackend;
  mirrors?: SessionBackend[];
  /** Told of every mirror failure; a mirror failure never fails the operation. */
  onMirrorFailure?: (failure: MirrorFailure) => void;
}

/**
 * One primary plus mirrors, itself a backend.
 *
 * Failure policy:
 * - append writes primary and mirrors concurrently. The result is the primary's. A primary failure
 *   throws `STORAGE_WRITE_FAILED` (after the mirrors were attempted, so a mirror may still hold the
 *   event); a mirror failure is reported through `onMirrorFailure` and otherwise ignored.
 * - read, list and compact go to the primary only, and exist exactly when the primary has them.
 * - delete (when the primary can delete) deletes from every mirror that can delete, then from the primary
 *   (its failure throws).
 */
export function createCompositeStore(options: CompositeOptions): SessionBackend {
  const { primary } = options;
  const mirrorList = options.mirrors ?? [];
  const mirrors = fanOutToMirrors(mirrorList, options.onMirrorFailure);
  const primaryDelete = primary.delete?.bind(primary);

  return {
    name: [primary.name, ...mirrorList.map((m) => m.name)].join('+'),
    ...forwardListAndCompact(primary),
    ...forwardTranscripts(primary, mirrorList, options.onMirrorFailure ?? (() => {})),
    async append(record: StoredRecord): Promise<AppendOutcome> {
      const [primaryResult] = await Promise.allSettled([primary.append(record), mirrors.append(record)]);
      if (primaryResult.status === 'rejected') {
        const reason: unknown = primaryResult.reason;
        if (reason instanceof RunbookError) throw reason;
        throw new RunbookError('STORAGE_WRITE_FAILED', `${primary.name}: ${describeError(reason)}`, { cause: reason });
      }
      return primaryResult.value;
    },
    read(sessionId: string, readOptions?: ReadOptions): AsyncIterable<StoredRecord> {
      return primary.read(sessionId, readOptions);
    },
    ...(primaryDelete
      ? {
          async delete(sessionId: string): Promise<void> {
            await mirrors.delete(sessionId);
            await primaryDelete(sessionId);
          },
        }
      : {}),
    async close(): Promise<void> {
      await Promise.allSettled([primary.close?.(), mirrors.close()]);
    },
  };
}
