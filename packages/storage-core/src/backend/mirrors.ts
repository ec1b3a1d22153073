import type { SessionBackend } from './contract.js';
import type { StoredRecord } from '../record/record.js';

export interface MirrorFailure {
  backend: string;
  operation: 'append' | 'delete';
  error: unknown;
}

/** Kept copies next to a primary: every write reaches each of them, and a failure is reported, never thrown. */
export interface Mirrors {
  /** Append to every mirror at once; settles when all have answered. */
  append(record: StoredRecord): Promise<void>;
  /** Delete from every mirror that can delete. */
  delete(sessionId: string): Promise<void>;
  /** Close every mirror. */
  close(): Promise<void>;
}

export function fanOutToMirrors(
  mirrors: readonly SessionBackend[],
  report: (failure: MirrorFailure) => void = () => {},
): Mirrors {
  return {
    async append(record) {
      const results = await Promise.allSettled(mirrors.map((m) => m.append(record)));
      results.forEach((result, i) => {
        if (result.status === 'rejected')
          report({ backend: mirrors[i]!.name, operation: 'append', error: result.reason });
      });
    },
    async delete(sessionId) {
      await Promise.allSettled(
        mirrors.map(async (m) => {
          if (!m.delete) return;
          try {
            await m.delete(sessionId);
          } catch (error) {
            report({ backend: m.name, operation: 'delete', error });
          }
        }),
      );
    },
    async close() {
      await Promise.allSettled(mirrors.map((m) => m.close?.()));
    },
  };
}
