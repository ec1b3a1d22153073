import type { AppendOutcome, BackendCapabilities, ReadOptions, SessionBackend } from './contract.js';
import { describeError, RunbookError } from '../errors.js';
import { forwardListAndCompact } from './forward.js';
import type { StoredRecord } from '../record/record.js';

export interface MirrorFailure {
  backend: string;
  operation: 'append' | 'delete';
  error: unknown;
}

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
 * - read and list come from the primary only.
 * - delete deletes from the primary (its failure throws) and from every mirror that can delete.
 */
export function createCompositeStore(options: CompositeOptions): SessionBackend {
  const { primary } = options;
  const mirrors = options.mirrors ?? [];
  const report = options.onMirrorFailure ?? (() => {});
  const capabilities: BackendCapabilities = { ...primary.capabilities };

  const store: SessionBackend = {
    name: [primary.name, ...mirrors.map((m) => m.name)].join('+'),
    capabilities,
    async append(record: StoredRecord): Promise<AppendOutcome> {
      const [primaryResult, ...mirrorResults] = await Promise.allSettled([
        primary.append(record),
        ...mirrors.map((m) => m.append(record)),
      ]);
      mirrorResults.forEach((result, i) => {
        if (result.status === 'rejected') report({ backend: mirrors[i]!.name, operation: 'append', error: result.reason });
      });
      if (primaryResult!.status === 'rejected') {
        const reason = primaryResult!.reason;
        if (reason instanceof RunbookError) throw reason;
        throw new RunbookError('STORAGE_WRITE_FAILED', `${primary.name}: ${describeError(reason)}`, { cause: reason });
      }
      return primaryResult!.value;
    },
    read(sessionId: string, readOptions?: ReadOptions): AsyncIterable<StoredRecord> {
      return primary.read(sessionId, readOptions);
    },
    async close(): Promise<void> {
      await Promise.allSettled([primary.close?.(), ...mirrors.map((m) => m.close?.())]);
    },
  };
  forwardListAndCompact(store, primary);
  if (primary.capabilities.delete && primary.delete) {
    const del = primary.delete.bind(primary);
    store.delete = async (sessionId: string): Promise<void> => {
      const results = await Promise.allSettled(
        mirrors.filter((m) => m.capabilities.delete && m.delete).map(async (m) => {
          try {
            await m.delete!(sessionId);
          } catch (error) {
            report({ backend: m.name, operation: 'delete', error });
          }
        }),
      );
      void results;
      await del(sessionId);
    };
  }
  return store;
}
