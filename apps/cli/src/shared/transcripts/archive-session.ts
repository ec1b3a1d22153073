import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SessionBackend } from '@runbook/storage-core';
import type { TranscriptLineRedactor } from '@runbook/hook-ingest';
import { archiveFile } from './archive-file.js';
import { lockFile, readCursor, stateDir, writeCursor, type SessionCursor } from './cursor.js';
import { tryLock } from './lock.js';
import { sessionTranscriptFiles } from './session-files.js';

export interface ArchiveSessionInput {
  /** Where cursors and locks live (`<localBaseDir>/transcripts/`). */
  localBaseDir: string;
  sessionId: string;
  /** The session's main transcript (`~/.claude/projects/<project>/<session id>.jsonl`). */
  transcriptPath: string;
  store: Pick<SessionBackend, 'appendTranscript'>;
  redact: TranscriptLineRedactor;
  /** Stop starting chunks after this time (ms since the epoch); the rest waits for a later run. */
  deadline?: number;
  chunkBytes?: number;
  onChunk?: (chunk: { lines: number; bytes: number }) => void;
  /** How long to wait for another process's lock on the session before returning `busy` (default 0). */
  lockWaitMs?: number;
}

export interface ArchiveSessionResult {
  /** `busy`: another process is archiving this session right now (it takes what is new). */
  status: 'archived' | 'busy' | 'missing' | 'unsupported';
  lines: number;
  bytes: number;
  chunks: number;
  redactions: number;
  /** Files found rewritten and archived again from the start. */
  rewritten: string[];
  /** Stopped at the deadline with lines left to archive. */
  stopped: boolean;
}

/** Rounds of "archive, then look again" while the files keep growing under one lock. */
const MAX_ROUNDS = 3;

/**
 * Archive what is new in a session's transcripts (main and subagents) through `store.appendTranscript`.
 * One process per session at a time (a lock file next to the cursor); a process that finds the lock held
 * returns `busy` at once, since the holder looks again for new lines before it lets go.
 */
export async function archiveSession(input: ArchiveSessionInput): Promise<ArchiveSessionResult> {
  const result: ArchiveSessionResult = {
    status: 'archived',
    lines: 0,
    bytes: 0,
    chunks: 0,
    redactions: 0,
    rewritten: [],
    stopped: false,
  };
  const append = input.store.appendTranscript?.bind(input.store);
  if (!append) return { ...result, status: 'unsupported' };
  if (!existsSync(input.transcriptPath)) return { ...result, status: 'missing' };
  const lock = lockFile(input.localBaseDir, input.sessionId);
  if (!existsSync(path.dirname(lock))) mkdirSync(stateDir(input.localBaseDir), { recursive: true, mode: 0o700 });
  const release = await lockWithin(lock, input.lockWaitMs ?? 0);
  if (!release) return { ...result, status: 'busy' };
  try {
    const cursor: SessionCursor = readCursor(input.localBaseDir, input.sessionId) ?? {
      sessionId: input.sessionId,
      transcriptPath: input.transcriptPath,
      files: {},
    };
    cursor.transcriptPath = input.transcriptPath;
    const shouldStop = input.deadline === undefined ? undefined : () => Date.now() >= input.deadline!;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let grew = false;
      for (const { file, path: where } of sessionTranscriptFiles(input.transcriptPath, input.sessionId)) {
        if (file !== 'main' && !existsSync(where)) continue;
        const done = await archiveFile({
          sessionId: input.sessionId,
          file,
          path: where,
          cursor: cursor.files[file],
          append,
          redact: input.redact,
          ...(input.chunkBytes ? { chunkBytes: input.chunkBytes } : {}),
          ...(shouldStop ? { shouldStop } : {}),
          ...(input.onChunk ? { onChunk: input.onChunk } : {}),
          onCursor: (next) => {
            cursor.files[file] = next;
            cursor.archivedAt = new Date().toISOString();
            writeCursor(input.localBaseDir, cursor);
          },
        });
        result.lines += done.lines;
        result.bytes += done.bytes;
        result.chunks += done.chunks;
        result.redactions += done.redactions;
        if (done.rewritten) result.rewritten.push(file);
        if (done.stopped) result.stopped = true;
        if (done.chunks > 0) grew = true;
      }
      if (result.stopped || !grew) break;
      // Lines written while this round ran are this holder's to take: others skipped while it held the lock.
      const main = cursor.files.main;
      if (!main || statSafe(input.transcriptPath) === main.offset) break;
    }
  } finally {
    release();
  }
  return result;
}

function statSafe(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** Try the lock, then again every 20 ms until `waitMs` has passed. */
async function lockWithin(file: string, waitMs: number): Promise<(() => void) | undefined> {
  const until = Date.now() + waitMs;
  for (;;) {
    const release = tryLock(file);
    if (release || Date.now() >= until) return release;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
