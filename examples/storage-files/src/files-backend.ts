import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  RunbookError,
  TRANSCRIPT_FILE_PATTERN,
  assertTranscriptChunk,
  compareTranscriptChunks,
  describeError,
  loadRecordParser,
  segmentToSessionId,
  serializeRecord,
  sessionIdToSegment,
  type AppendOutcome,
  type ReadOptions,
  type SessionBackend,
  type SessionSummary,
  type StoredRecord,
  type TranscriptChunk,
  type TranscriptReadOptions,
} from '@runbook/storage-core';

/**
 * Layout: `<dir>/<session segment>/<event id>.json`, one stored record per file, and transcript chunks
 * as `<dir>/<session segment>/transcript/<file>.<generation>.<offset>.<end>.jsonl`, one chunk per file.
 *
 * Event ids are ULIDs, which sort in the order events happened, so a sorted directory listing is the
 * session in order, and an event appended twice lands on its own file name again (a duplicate).
 */
const SUFFIX = '.json';
const TEMP_PREFIX = '.tmp-';

export interface FilesBackendOptions {
  /** Absolute directory holding one sub-directory per session. */
  dir: string;
}

const TRANSCRIPT_DIR = 'transcript';
const CHUNK_FILE = /^(.+)\.(\d+)\.(\d+)\.(\d+)\.jsonl$/;

/** Write `data` to a temp file, then hard-link it to `target`: whole or absent, and EEXIST means it is there already. */
function writeOnce(dir: string, target: string, data: string): AppendOutcome {
  const temp = path.join(dir, `${TEMP_PREFIX}${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, data, { mode: 0o600 });
    try {
      linkSync(temp, target);
      return 'stored';
    } catch (error) {
      if (isCode(error, 'EEXIST')) return 'duplicate';
      throw error;
    } finally {
      unlinkSync(temp);
    }
  } catch (error) {
    throw new RunbookError('STORAGE_WRITE_FAILED', `cannot write ${target}: ${describeError(error)}`, { cause: error });
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException)?.code === code;
}

/** A file name for an event id: ULIDs as they are, anything else made safe like a session id. */
function eventFile(eventId: string): string {
  return `${sessionIdToSegment(eventId)}${SUFFIX}`;
}

async function eventFiles(sessionDir: string): Promise<string[]> {
  try {
    return (await readdir(sessionDir)).filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.')).sort();
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${sessionDir}: ${describeError(error)}`, {
      cause: error,
    });
  }
}

export function createFilesBackend(options: FilesBackendOptions): SessionBackend {
  const root = path.resolve(options.dir);
  const sessionDir = (sessionId: string) => path.join(root, sessionIdToSegment(sessionId));

  async function readRecord(file: string): Promise<StoredRecord | { error: string }> {
    const parse = await loadRecordParser();
    const parsed = parse((await readFile(file, 'utf8')).trim());
    return parsed.ok ? parsed.record : { error: parsed.reason };
  }

  return {
    name: 'files',
    listDetails: true,

    async append(record: StoredRecord): Promise<AppendOutcome> {
      const dir = sessionDir(record.sessionId);
      // An event file is either whole or absent; an event stored already is a duplicate.
      return writeOnce(dir, path.join(dir, eventFile(record.eventId)), serializeRecord(record));
    },

    async appendTranscript(chunk: TranscriptChunk): Promise<AppendOutcome> {
      assertTranscriptChunk(chunk);
      const dir = path.join(sessionDir(chunk.sessionId), TRANSCRIPT_DIR);
      const name = `${chunk.file}.${chunk.generation}.${chunk.offset}.${chunk.offset + chunk.length}.jsonl`;
      return writeOnce(dir, path.join(dir, name), chunk.text);
    },

    async *readTranscript(sessionId: string, readOptions: TranscriptReadOptions = {}): AsyncGenerator<TranscriptChunk> {
      const dir = path.join(sessionDir(sessionId), TRANSCRIPT_DIR);
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if (isCode(error, 'ENOENT')) return;
        throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${dir}: ${describeError(error)}`, { cause: error });
      }
      const chunks: Array<Omit<TranscriptChunk, 'text'> & { name: string }> = [];
      for (const name of names) {
        const match = CHUNK_FILE.exec(name);
        if (!match || !TRANSCRIPT_FILE_PATTERN.test(match[1]!)) continue;
        if (readOptions.file !== undefined && match[1] !== readOptions.file) continue;
        const offset = Number(match[3]);
        const length = Number(match[4]) - offset;
        if (length > 0) chunks.push({ sessionId, file: match[1]!, generation: Number(match[2]), offset, length, name });
      }
      chunks.sort(compareTranscriptChunks);
      for (const { name, ...chunk } of chunks) {
        readOptions.signal?.throwIfAborted();
        let text: string;
        try {
          text = await readFile(path.join(dir, name), 'utf8');
        } catch (error) {
          if (isCode(error, 'ENOENT')) continue; // deleted while we read
          throw new RunbookError(
            'STORAGE_READ_FAILED',
            `cannot read ${path.join(dir, name)}: ${describeError(error)}`,
            { cause: error },
          );
        }
        yield { ...chunk, text };
      }
    },

    async *read(sessionId: string, readOptions: ReadOptions = {}): AsyncGenerator<StoredRecord> {
      const dir = sessionDir(sessionId);
      for (const name of await eventFiles(dir)) {
        readOptions.signal?.throwIfAborted();
        const file = path.join(dir, name);
        let result: Awaited<ReturnType<typeof readRecord>>;
        try {
          result = await readRecord(file);
        } catch (error) {
          if (isCode(error, 'ENOENT')) continue; // deleted while we read
          throw new RunbookError('STORAGE_READ_FAILED', `cannot read ${file}: ${describeError(error)}`, {
            cause: error,
          });
        }
        if ('error' in result) {
          readOptions.onIssue?.({ kind: 'corrupt-line', sessionId, location: file, detail: result.error });
          continue;
        }
        if (result.sessionId === sessionId) yield result;
      }
    },

    async *list(): AsyncGenerator<SessionSummary> {
      let segments: string[];
      try {
        segments = (await readdir(root)).sort();
      } catch (error) {
        if (isCode(error, 'ENOENT')) return;
        throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${root}: ${describeError(error)}`, { cause: error });
      }
      for (const segment of segments) {
        const dir = path.join(root, segment);
        const names = await eventFiles(dir).catch(() => []);
        if (names.length === 0) continue;
        const first = await readRecord(path.join(dir, names[0]!)).catch(() => undefined);
        const last = await readRecord(path.join(dir, names[names.length - 1]!)).catch(() => undefined);
        const firstRecord = first && !('error' in first) ? first : undefined;
        const lastRecord = last && !('error' in last) ? last : undefined;
        // Long or unusual ids are hashed into their segment; the records still carry the real id.
        const sessionId = firstRecord?.sessionId ?? segmentToSessionId(segment);
        if (sessionId === undefined) continue;
        yield {
          sessionId,
          eventCount: names.length,
          ...(firstRecord ? { firstSeen: firstRecord.observedAt } : {}),
          ...(lastRecord ? { lastSeen: lastRecord.observedAt } : {}),
        };
      }
    },

    async delete(sessionId: string): Promise<void> {
      await rm(sessionDir(sessionId), { recursive: true, force: true });
    },

    // Optional: where the data lives, for `status` and `doctor`. Printable, no secrets.
    describe: () => ({ location: root }),

    // Optional: a health check with a fix hint. Without it, `doctor` appends, reads back and deletes a probe session.
    async probe() {
      const file = path.join(root, `.probe-${process.pid}`);
      try {
        mkdirSync(root, { recursive: true });
        writeFileSync(file, '{}');
        unlinkSync(file);
        return { ok: true, detail: 'writable' };
      } catch (error) {
        return {
          ok: false,
          detail: describeError(error),
          fix: `make ${root} writable, or set sessionStorage.files.dir`,
        };
      }
    },
  };
}
