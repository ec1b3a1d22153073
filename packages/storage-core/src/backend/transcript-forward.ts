import type { AppendOutcome, SessionBackend } from './contract.js';
import type { MirrorFailure } from './mirrors.js';
import { RunbookError, describeError } from '../errors.js';
import type { TranscriptChunk } from './transcript.js';

/**
 * Transcripts of a composite store, present exactly when its primary keeps them: chunks go to the primary and
 * to every mirror that keeps transcripts (a mirror failure is reported, never fatal); reading comes from the
 * primary. Spread the result into the store.
 */
export function forwardTranscripts(
  primary: SessionBackend,
  mirrors: SessionBackend[],
  report: (failure: MirrorFailure) => void,
): Pick<SessionBackend, 'appendTranscript' | 'readTranscript'> {
  if (!primary.appendTranscript || !primary.readTranscript) return {};
  const append = primary.appendTranscript.bind(primary);
  const read = primary.readTranscript.bind(primary);
  const keeping = mirrors.filter((m) => typeof m.appendTranscript === 'function');
  return {
    async appendTranscript(chunk: TranscriptChunk): Promise<AppendOutcome> {
      const [primaryResult, ...mirrorResults] = await Promise.allSettled([
        append(chunk),
        ...keeping.map((m) => m.appendTranscript!(chunk)),
      ]);
      mirrorResults.forEach((result, i) => {
        if (result.status === 'rejected')
          report({ backend: keeping[i]!.name, operation: 'append', error: result.reason });
      });
      if (primaryResult!.status === 'rejected') {
        const reason: unknown = primaryResult!.reason;
        if (reason instanceof RunbookError) throw reason;
        throw new RunbookError('STORAGE_WRITE_FAILED', `${primary.name}: ${describeError(reason)}`, { cause: reason });
      }
      return primaryResult!.value;
    },
    readTranscript: (sessionId, options) => read(sessionId, options),
  };
}
