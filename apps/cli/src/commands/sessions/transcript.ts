import { MAIN_TRANSCRIPT, RunbookError, readArchivedTranscript } from '@runbook/storage-core';
import { loadContext } from '../../shared/context.js';
import { OutputClosedError, warn, watchStdout, writeChunk } from '../../output/stdout.js';
import { openStore } from '../../shared/store.js';

export interface TranscriptOutputOptions {
  projectDir?: string;
  /** A subagent's transcript (`agent-<id>` or `<id>`) instead of the main one. */
  subagent?: string;
}

/** `sessions show|export <id> --transcript`: the archived transcript as JSONL, line for line (as redacted when archived). */
export async function runTranscriptOutput(sessionId: string, opts: TranscriptOutputOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const store = await openStore(context);
  const file =
    opts.subagent === undefined
      ? MAIN_TRANSCRIPT
      : opts.subagent.startsWith('agent-')
        ? opts.subagent
        : `agent-${opts.subagent}`;
  let chunks = 0;
  let gaps = 0;
  watchStdout();
  try {
    if (!store.readTranscript) {
      throw new RunbookError('CAPABILITY_MISSING', `backend ${store.name} does not keep transcripts`);
    }
    for await (const chunk of readArchivedTranscript(store, sessionId, { file, onGap: () => (gaps += 1) })) {
      await writeChunk(chunk.text);
      chunks += 1;
    }
  } catch (error) {
    if (error instanceof OutputClosedError) return;
    throw error;
  } finally {
    await store.close?.();
  }
  if (gaps > 0) warn(`the archive of ${file} misses lines in ${gaps} places (they were never archived)`);
  if (chunks === 0) {
    throw new RunbookError(
      'SESSION_NOT_FOUND',
      `no ${file === MAIN_TRANSCRIPT ? '' : `${file} `}transcript archived for session "${sessionId}" in ${context.config.sessionStorage.backend} storage; archive it with: runbook integrations claude transcripts import`,
    );
  }
}
