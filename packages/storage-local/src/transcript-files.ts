// fs.promises is reached through `fs` at the call (see local-backend.ts): the hook path must not load it.
import { closeSync, mkdirSync, openSync, promises as fsp, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  RunbookError,
  TRANSCRIPT_FILE_PATTERN,
  assertTranscriptChunk,
  compareTranscriptChunks,
  describeError,
  parseTranscriptChunkName,
  transcriptChunkName,
  type AppendOutcome,
  type TranscriptChunk,
  type TranscriptReadOptions,
} from '@runbook/storage-core';

export const TRANSCRIPT_DIR = 'transcript';

export interface TranscriptFilesOptions {
  dirMode: number;
  fileMode: number;
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

/**
 * Transcript chunks as files under a session's folder: `transcript/<file>/<generation>/<offset>-<end>.jsonl`,
 * each holding the chunk's lines exactly. The file is created exclusively, so a second writer of the same
 * chunk finds it there (`duplicate`); one found shorter than the chunk (a writer died mid-write) is written
 * again in full.
 */
export function writeTranscriptChunk(
  sessionDir: string,
  chunk: TranscriptChunk,
  options: TranscriptFilesOptions,
): AppendOutcome {
  assertTranscriptChunk(chunk);
  const target = path.join(sessionDir, TRANSCRIPT_DIR, chunk.file, ...transcriptChunkName(chunk).split('/'));
  const data = Buffer.from(chunk.text, 'utf8');
  const writeAll = (flags: string) => {
    const fd = openSync(target, flags, options.fileMode);
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    } finally {
      closeSync(fd);
    }
  };
  try {
    try {
      writeAll('wx');
    } catch (error) {
      if (code(error) === 'EEXIST') {
        if (statSync(target).size >= data.length) return 'duplicate';
        writeAll('w');
        return 'stored';
      }
      if (code(error) !== 'ENOENT') throw error;
      mkdirSync(path.dirname(target), { recursive: true, mode: options.dirMode });
      writeAll('wx');
    }
    return 'stored';
  } catch (error) {
    if (code(error) === 'EEXIST') return 'duplicate';
    throw new RunbookError('STORAGE_WRITE_FAILED', `cannot write ${target}: ${describeError(error)}`, { cause: error });
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (error) {
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return [];
    throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${dir}: ${describeError(error)}`, { cause: error });
  }
}

/** A session's chunks in `readTranscript` order, each read when its turn comes. */
export async function* readTranscriptChunks(
  sessionDir: string,
  sessionId: string,
  options: TranscriptReadOptions = {},
): AsyncGenerator<TranscriptChunk> {
  const root = path.join(sessionDir, TRANSCRIPT_DIR);
  const files = options.file !== undefined ? [options.file] : await entries(root);
  const found: Array<Omit<TranscriptChunk, 'text'> & { where: string }> = [];
  for (const file of files) {
    if (!TRANSCRIPT_FILE_PATTERN.test(file)) continue;
    for (const generation of await entries(path.join(root, file))) {
      for (const name of await entries(path.join(root, file, generation))) {
        const position = parseTranscriptChunkName(`${generation}/${name}`);
        if (position) found.push({ sessionId, file, ...position, where: path.join(root, file, generation, name) });
      }
    }
  }
  found.sort(compareTranscriptChunks);
  for (const { where, ...chunk } of found) {
    options.signal?.throwIfAborted();
    let text: string;
    try {
      text = await fsp.readFile(where, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') continue; // deleted meanwhile
      throw new RunbookError('STORAGE_READ_FAILED', `cannot read ${where}: ${describeError(error)}`, { cause: error });
    }
    yield { ...chunk, text };
  }
}
