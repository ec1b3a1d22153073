import { createRequire } from 'node:module';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  promises as fsp,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { AppendOutcome, SessionBackend } from '../backend/contract.js';
import { assertTranscriptChunk, type TranscriptChunk } from '../backend/transcript.js';
import { RunbookError, describeError } from '../errors.js';

/** node:crypto, loaded on first use: hook processes that spool nothing never load it. */
const nodeCrypto = (): typeof import('node:crypto') =>
  createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');

/** Transcript chunks wait in this folder of the outbox, one file each, until the backend has them. */
export const TRANSCRIPT_SPOOL_DIR = 'transcripts';
const SUFFIX = '.json';

/**
 * The outbox's transcript entries: `<outbox>/transcripts/<chunk hash>.json`, each one chunk as JSON, written
 * whole (temp file, renamed). The name is a hash of the chunk's identity, so spooling a chunk again replaces
 * its own entry.
 */
export interface TranscriptSpool {
  readonly dir: string;
  put(chunk: TranscriptChunk): string;
  remove(name: string): void;
  names(): Promise<string[]>;
  /** Entries waiting right now, counted synchronously (cheap: one directory read). */
  countSync(): number;
  /** The chunk, `undefined` when the entry is gone, or the reason it cannot be read. */
  read(name: string): Promise<TranscriptChunk | undefined | { unreadable: string }>;
}

export function transcriptSpoolEntryName(
  chunk: Pick<TranscriptChunk, 'sessionId' | 'file' | 'generation' | 'offset' | 'length'>,
): string {
  const id = nodeCrypto()
    .createHash('sha256')
    .update(`${chunk.sessionId}\0${chunk.file}\0${chunk.generation}\0${chunk.offset}\0${chunk.length}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
  return `${id}${SUFFIX}`;
}

const notFound = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

export function openTranscriptSpool(outboxDir: string, options: { fsync?: boolean } = {}): TranscriptSpool {
  const dir = path.join(path.resolve(outboxDir), TRANSCRIPT_SPOOL_DIR);
  const fsync = options.fsync ?? true;
  return {
    dir,
    put(chunk) {
      assertTranscriptChunk(chunk);
      const name = transcriptSpoolEntryName(chunk);
      const data = Buffer.from(JSON.stringify(chunk), 'utf8');
      const temp = path.join(dir, `.tmp-${process.pid}-${nodeCrypto().randomBytes(6).toString('hex')}`);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const fd = openSync(temp, 'wx', 0o600);
        try {
          let written = 0;
          while (written < data.length) written += writeSync(fd, data, written, data.length - written);
          if (fsync) fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, path.join(dir, name));
      } catch (error) {
        try {
          unlinkSync(temp);
        } catch {
          // nothing to clean
        }
        throw new RunbookError(
          'STORAGE_WRITE_FAILED',
          `cannot spool transcript chunk to ${dir}: ${describeError(error)}`,
          { cause: error },
        );
      }
      return name;
    },
    remove(name) {
      try {
        unlinkSync(path.join(dir, name));
      } catch (error) {
        if (!notFound(error))
          throw new RunbookError(
            'STORAGE_WRITE_FAILED',
            `cannot remove ${path.join(dir, name)}: ${describeError(error)}`,
            { cause: error },
          );
      }
    },
    async names() {
      try {
        return (await fsp.readdir(dir)).filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.')).sort();
      } catch (error) {
        if (notFound(error)) return [];
        throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${dir}: ${describeError(error)}`, { cause: error });
      }
    },
    countSync() {
      try {
        return readdirSync(dir).filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.')).length;
      } catch {
        return 0;
      }
    },
    async read(name) {
      let text: string;
      try {
        text = await fsp.readFile(path.join(dir, name), 'utf8');
      } catch (error) {
        if (notFound(error)) return undefined;
        throw new RunbookError('STORAGE_READ_FAILED', `cannot read ${path.join(dir, name)}: ${describeError(error)}`, {
          cause: error,
        });
      }
      try {
        const chunk = JSON.parse(text) as TranscriptChunk;
        assertTranscriptChunk(chunk);
        return chunk;
      } catch (error) {
        return { unreadable: describeError(error) };
      }
    },
  };
}

export interface TranscriptDrainResult {
  stored: number;
  duplicate: number;
  failed: number;
  /** Unreadable entries moved to `<spool>/corrupt/`. */
  quarantined: string[];
  /** Entries still waiting at the end. */
  remaining: number;
  failures: string[];
}

/** Send every waiting transcript chunk to `backend`, a few at once; each entry goes once the backend has it. */
export async function drainTranscriptSpool(
  spool: TranscriptSpool,
  backend: SessionBackend,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<TranscriptDrainResult> {
  const result: TranscriptDrainResult = {
    stored: 0,
    duplicate: 0,
    failed: 0,
    quarantined: [],
    remaining: 0,
    failures: [],
  };
  const names = await spool.names();
  if (names.length > 0 && !backend.appendTranscript) {
    throw new RunbookError(
      'CAPABILITY_MISSING',
      `${names.length} transcript chunks wait in ${spool.dir}, but backend ${backend.name} does not keep transcripts`,
    );
  }
  let next = 0;
  let failuresInRow = 0;
  const worker = async () => {
    while (next < names.length && !options.signal?.aborted && failuresInRow < 8) {
      const name = names[next++]!;
      const chunk = await spool.read(name);
      if (chunk === undefined) continue;
      if ('unreadable' in chunk) {
        const target = path.join(spool.dir, 'corrupt', name);
        mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        await fsp.rename(path.join(spool.dir, name), target).catch(() => {});
        result.quarantined.push(target);
        continue;
      }
      try {
        const outcome = await sendTranscriptChunk(backend, chunk);
        failuresInRow = 0;
        if (outcome === 'duplicate') result.duplicate += 1;
        else result.stored += 1;
        spool.remove(name);
      } catch (error) {
        failuresInRow += 1;
        result.failed += 1;
        if (result.failures.length < 5) result.failures.push(describeError(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, names.length) }, worker));
  result.remaining = (await spool.names()).length;
  return result;
}

/** The outbox entry kind of a transcript chunk, for outboxes that keep entries of several kinds in one queue. */
export const TRANSCRIPT_CHUNK_ENTRY_KIND = 'transcript-chunk';

/**
 * Send one spooled transcript chunk (an entry's JSON data) to `backend`: validates it first, so a malformed
 * entry fails with `RECORD_INVALID`; a backend that keeps no transcripts fails with `CAPABILITY_MISSING`.
 */
export async function sendTranscriptChunk(backend: SessionBackend, data: unknown): Promise<AppendOutcome> {
  const chunk = data as TranscriptChunk;
  assertTranscriptChunk(chunk);
  if (!backend.appendTranscript)
    throw new RunbookError('CAPABILITY_MISSING', `backend ${backend.name} does not keep transcripts`);
  return backend.appendTranscript(chunk);
}
