import type { SessionBackend } from './contract.js';
import { RunbookError } from '../errors.js';
import type { TranscriptChunk, TranscriptReadOptions } from './transcript.js';

export interface ArchivedTranscriptOptions extends TranscriptReadOptions {
  /** Told when the archive of a file misses bytes between two chunks (the lines there were never archived). */
  onGap?: (gap: { file: string; generation: number; from: number; to: number }) => void;
}

/**
 * A session's archived transcript as it should be read back: per file, the newest generation only, its
 * chunks in order, each range once (a retried chunk that a longer one covers is skipped). Throws
 * `CAPABILITY_MISSING` when the backend keeps no transcripts.
 */
export async function* readArchivedTranscript(
  backend: SessionBackend,
  sessionId: string,
  options: ArchivedTranscriptOptions = {},
): AsyncGenerator<TranscriptChunk> {
  if (!backend.readTranscript)
    throw new RunbookError('CAPABILITY_MISSING', `backend ${backend.name} does not keep transcripts`);
  let file: string | undefined;
  let generation = -1;
  let position = 0;
  const readOptions: TranscriptReadOptions = {};
  if (options.file !== undefined) readOptions.file = options.file;
  if (options.signal) readOptions.signal = options.signal;
  for await (const chunk of backend.readTranscript(sessionId, readOptions)) {
    if (chunk.file !== file) {
      file = chunk.file;
      generation = chunk.generation;
      position = 0;
    }
    if (chunk.generation !== generation) continue; // an older version of this file
    const end = chunk.offset + chunk.length;
    if (end <= position) continue; // covered already
    if (chunk.offset < position) continue; // overlaps a longer chunk mid-way: not a line boundary of this archive
    if (chunk.offset > position) options.onGap?.({ file: chunk.file, generation, from: position, to: chunk.offset });
    position = end;
    yield chunk;
  }
}

/** Whether any transcript of the session is archived (reads at most one chunk). */
export async function hasArchivedTranscript(
  backend: SessionBackend,
  sessionId: string,
  options: TranscriptReadOptions = {},
): Promise<boolean> {
  if (!backend.readTranscript) return false;
  for await (const chunk of backend.readTranscript(sessionId, options)) {
    void chunk;
    return true;
  }
  return false;
}
