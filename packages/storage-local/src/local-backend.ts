// fs.promises is reached through `fs` at the call: a separate `node:fs/promises` import would load it (and
// the streams and readline it pulls in) in every hook process, which only appends.
import {
  closeSync,
  constants,
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  promises as fsp,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import {
  RunbookError,
  describeError,
  parseNdjsonRecords,
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
import { firstLineSessionId, legacySegment, sessionSegments } from './legacy-folder.js';
import { probeLocal } from './probe.js';
import { summarizeFolders } from './folder-summaries.js';
import { readTranscriptChunks, writeTranscriptChunk } from './transcript-files.js';

export const EVENTS_FILE = 'events.ndjson';
export const SESSIONS_DIR = 'sessions';

export interface LocalBackendOptions {
  /** Absolute directory holding `sessions/<id>/events.ndjson`. */
  baseDir: string;
  /** Mode of directories the backend creates (default 0o700: session data may be sensitive). */
  dirMode?: number;
  /** Mode of files the backend creates (default 0o600). */
  fileMode?: number;
}

/** Where one session's events live under a base directory (new sessions; see {@link sessionFiles}). */
export function sessionFile(baseDir: string, sessionId: string): string {
  return path.join(baseDir, SESSIONS_DIR, sessionIdToSegment(sessionId), EVENTS_FILE);
}

/** Every file that may hold a session's events: a RunbookAI-era folder first (when the id maps to one), then the current one. */
export function sessionFiles(baseDir: string, sessionId: string): string[] {
  return sessionSegments(sessionId).map((segment) => path.join(baseDir, SESSIONS_DIR, segment, EVENTS_FILE));
}

/**
 * The file new events of a session go to: the current folder, unless only a RunbookAI-era folder of this
 * same session exists (its ids with `.` or other characters RunbookAI rewrote), so one session stays one folder.
 */
function appendTarget(baseDir: string, sessionId: string): string {
  const current = sessionFile(baseDir, sessionId);
  const legacy = legacySegment(sessionId);
  if (!legacy || existsSync(path.dirname(current))) return current;
  const old = path.join(baseDir, SESSIONS_DIR, legacy, EVENTS_FILE);
  return firstLineSessionId(old) === sessionId ? old : current;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** `a` without following a symbolic link at the file itself (ELOOP instead). */
const APPEND_NO_FOLLOW = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/**
 * A session's files are written only into real folders: a symbolic link at `sessions/` or at a session's
 * folder (committed into a repository, say, pointing at `~/.ssh`) is refused, and the events file is
 * opened with O_NOFOLLOW. The base directory itself may be a link (a user's own choice of disk).
 */
function refuseLinks(sessionsDir: string, file: string): void {
  for (const dir of [sessionsDir, path.dirname(file)]) {
    let link = false;
    try {
      link = lstatSync(dir).isSymbolicLink();
    } catch {
      // not there yet: created as a real folder
    }
    if (link)
      throw new RunbookError(
        'STORAGE_WRITE_FAILED',
        `${dir} is a symbolic link; session data is written only into real folders`,
      );
  }
}

/**
 * Write the whole record with O_APPEND in one `write` so concurrent writers never interleave a line. (A line
 * torn by a crashed writer is not patched here: checking the file's last byte races with writes in flight.
 * Readers recover the record that a later append glued onto a torn line.)
 */
function appendWhole(file: string, data: Buffer, fileMode: number): void {
  const fd = openSync(file, APPEND_NO_FOLLOW, fileMode);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
  } finally {
    closeSync(fd);
  }
}

/** A backend keeping each session in `<baseDir>/sessions/<safe id>/events.ndjson`, one record per line. */
export function createLocalBackend(options: LocalBackendOptions): SessionBackend {
  const baseDir = path.resolve(options.baseDir);
  const sessionsDir = path.join(baseDir, SESSIONS_DIR);
  const dirMode = options.dirMode ?? 0o700;
  const fileMode = options.fileMode ?? 0o600;

  return {
    name: 'local',
    listDetails: true,

    async append(record: StoredRecord): Promise<AppendOutcome> {
      const file = appendTarget(baseDir, record.sessionId);
      const data = Buffer.from(serializeRecord(record), 'utf8');
      refuseLinks(sessionsDir, file);
      try {
        try {
          appendWhole(file, data, fileMode);
        } catch (error) {
          if (!isNotFound(error)) throw error;
          mkdirSync(path.dirname(file), { recursive: true, mode: dirMode });
          appendWhole(file, data, fileMode);
        }
      } catch (error) {
        const reason =
          (error as NodeJS.ErrnoException)?.code === 'ELOOP'
            ? 'it is a symbolic link; session data is written only to real files'
            : describeError(error);
        throw new RunbookError('STORAGE_WRITE_FAILED', `cannot append to ${file}: ${reason}`, { cause: error });
      }
      return 'stored';
    },

    async *read(sessionId: string, readOptions: ReadOptions = {}): AsyncGenerator<StoredRecord> {
      const seen = new Set<string>();
      for (const file of sessionFiles(baseDir, sessionId)) {
        try {
          await fsp.stat(file);
        } catch (error) {
          if (isNotFound(error) || (error as NodeJS.ErrnoException)?.code === 'ENAMETOOLONG') continue;
          throw new RunbookError('STORAGE_READ_FAILED', `cannot read ${file}: ${describeError(error)}`, {
            cause: error,
          });
        }
        const stream = createReadStream(file, { highWaterMark: 1024 * 1024, signal: readOptions.signal });
        const context = {
          sessionId,
          location: file,
          seen,
          ...(readOptions.onIssue ? { onIssue: readOptions.onIssue } : {}),
        };
        for await (const record of parseNdjsonRecords(stream, context)) {
          if (record.sessionId === sessionId) yield record;
        }
      }
    },

    async *list(): AsyncGenerator<SessionSummary> {
      let entries: string[];
      try {
        entries = await fsp.readdir(sessionsDir);
      } catch (error) {
        if (isNotFound(error)) return;
        throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${sessionsDir}: ${describeError(error)}`, {
          cause: error,
        });
      }
      // Counted as `read` returns them; a session kept in two folders (RunbookAI-era and current) is one session.
      try {
        yield* await summarizeFolders(baseDir, sessionsDir, entries.sort(), EVENTS_FILE);
      } catch (error) {
        throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${sessionsDir}: ${describeError(error)}`, {
          cause: error,
        });
      }
    },

    async appendTranscript(chunk: TranscriptChunk): Promise<AppendOutcome> {
      refuseLinks(sessionsDir, sessionFile(baseDir, chunk.sessionId));
      return writeTranscriptChunk(path.dirname(sessionFile(baseDir, chunk.sessionId)), chunk, { dirMode, fileMode });
    },

    readTranscript(sessionId: string, readOptions?: TranscriptReadOptions): AsyncIterable<TranscriptChunk> {
      return readTranscriptChunks(path.dirname(sessionFile(baseDir, sessionId)), sessionId, readOptions);
    },

    async delete(sessionId: string): Promise<void> {
      await fsp.rm(path.dirname(sessionFile(baseDir, sessionId)), { recursive: true, force: true });
      const legacy = legacySegment(sessionId);
      const old = legacy ? path.join(sessionsDir, legacy, EVENTS_FILE) : undefined;
      // A RunbookAI-era folder is removed only when it is this session's (RunbookAI could map two ids to one folder).
      if (old && firstLineSessionId(old) === sessionId)
        await fsp.rm(path.dirname(old), { recursive: true, force: true });
    },

    describe: () => ({ location: baseDir }),

    probe: async () => probeLocal(baseDir, sessionsDir, dirMode),
  };
}
