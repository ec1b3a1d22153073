// fs.promises is reached through `fs` at the call: a separate `node:fs/promises` import would load it (and
// the streams and readline it pulls in) in every hook process, which only appends.
import { closeSync, createReadStream, mkdirSync, openSync, promises as fsp, writeSync } from 'node:fs';
import path from 'node:path';
import {
  RunbookError,
  describeError,
  loadRecordParser,
  parseNdjsonRecords,
  segmentToSessionId,
  serializeRecord,
  sessionIdToSegment,
  type AppendOutcome,
  type ReadOptions,
  type SessionBackend,
  type SessionSummary,
  type StoredRecord,
} from '@runbook/storage-core';

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

/** Where one session's events live under a base directory. */
export function sessionFile(baseDir: string, sessionId: string): string {
  return path.join(baseDir, SESSIONS_DIR, sessionIdToSegment(sessionId), EVENTS_FILE);
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/**
 * Write the whole record with O_APPEND in one `write` so concurrent writers never interleave a line. (A line
 * torn by a crashed writer is not patched here: checking the file's last byte races with writes in flight.
 * Readers recover the record that a later append glued onto a torn line.)
 */
function appendWhole(file: string, data: Buffer, fileMode: number): void {
  const fd = openSync(file, 'a', fileMode);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
  } finally {
    closeSync(fd);
  }
}

async function firstLine(file: string): Promise<string | undefined> {
  const handle = await fsp.open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(buf, 0, buf.length, position);
      if (bytesRead === 0) break;
      const part = buf.subarray(0, bytesRead);
      const nl = part.indexOf(10);
      if (nl !== -1) {
        chunks.push(part.subarray(0, nl));
        return Buffer.concat(chunks).toString('utf8');
      }
      chunks.push(part);
      position += bytesRead;
    }
    return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
  } finally {
    await handle.close();
  }
}

/** Count lines and find the first and last complete record of a file, reading it once in chunks. */
async function summarize(file: string): Promise<{ count: number; first?: StoredRecord; last?: StoredRecord }> {
  let count = 0;
  let firstText: string | undefined;
  let tail = Buffer.alloc(0);
  let lastComplete: Buffer | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    let buf = tail.length ? Buffer.concat([tail, chunk as Buffer]) : (chunk as Buffer);
    let nl = buf.indexOf(10);
    let start = 0;
    while (nl !== -1) {
      if (nl > start) {
        count++;
        const line = buf.subarray(start, nl);
        if (firstText === undefined) firstText = line.toString('utf8');
        lastComplete = line;
      }
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    tail = Buffer.from(buf.subarray(start));
    if (lastComplete) lastComplete = Buffer.from(lastComplete);
    buf = tail;
  }
  const parseRecordLine = await loadRecordParser();
  const parse = (text: string | undefined) => {
    if (text === undefined) return undefined;
    const parsed = parseRecordLine(text);
    return parsed.ok ? parsed.record : undefined;
  };
  return { count, first: parse(firstText), last: parse(lastComplete?.toString('utf8')) };
}

/** A backend keeping each session in `<baseDir>/sessions/<safe id>/events.ndjson`, one record per line. */
export function createLocalBackend(options: LocalBackendOptions): SessionBackend {
  const baseDir = path.resolve(options.baseDir);
  const sessionsDir = path.join(baseDir, SESSIONS_DIR);
  const dirMode = options.dirMode ?? 0o700;
  const fileMode = options.fileMode ?? 0o600;

  async function sessionIdOf(segment: string): Promise<string | undefined> {
    const decoded = segmentToSessionId(segment);
    if (decoded !== undefined) return decoded;
    const line = await firstLine(path.join(sessionsDir, segment, EVENTS_FILE)).catch(() => undefined);
    const parsed = line ? (await loadRecordParser())(line) : undefined;
    return parsed?.ok ? parsed.record.sessionId : undefined;
  }

  return {
    name: 'local',
    capabilities: { list: true, delete: true, listDetails: true },

    async append(record: StoredRecord): Promise<AppendOutcome> {
      const file = sessionFile(baseDir, record.sessionId);
      const data = Buffer.from(serializeRecord(record), 'utf8');
      try {
        try {
          appendWhole(file, data, fileMode);
        } catch (error) {
          if (!isNotFound(error)) throw error;
          mkdirSync(path.dirname(file), { recursive: true, mode: dirMode });
          appendWhole(file, data, fileMode);
        }
      } catch (error) {
        throw new RunbookError('STORAGE_WRITE_FAILED', `cannot append to ${file}: ${describeError(error)}`, { cause: error });
      }
      return 'stored';
    },

    async *read(sessionId: string, readOptions: ReadOptions = {}): AsyncGenerator<StoredRecord> {
      const file = sessionFile(baseDir, sessionId);
      try {
        await fsp.stat(file);
      } catch (error) {
        if (isNotFound(error)) return;
        throw new RunbookError('STORAGE_READ_FAILED', `cannot read ${file}: ${describeError(error)}`, { cause: error });
      }
      const stream = createReadStream(file, { highWaterMark: 1024 * 1024, signal: readOptions.signal });
      const context = { sessionId, location: file, ...(readOptions.onIssue ? { onIssue: readOptions.onIssue } : {}) };
      for await (const record of parseNdjsonRecords(stream, context)) {
        if (record.sessionId === sessionId) yield record;
      }
    },

    async *list(): AsyncGenerator<SessionSummary> {
      let entries: string[];
      try {
        entries = await fsp.readdir(sessionsDir);
      } catch (error) {
        if (isNotFound(error)) return;
        throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${sessionsDir}: ${describeError(error)}`, { cause: error });
      }
      for (const segment of entries.sort()) {
        const file = path.join(sessionsDir, segment, EVENTS_FILE);
        let details: Awaited<ReturnType<typeof summarize>>;
        try {
          details = await summarize(file);
        } catch (error) {
          if (isNotFound(error)) continue;
          throw error;
        }
        const sessionId = details.first?.sessionId ?? (await sessionIdOf(segment));
        if (sessionId === undefined) continue;
        const summary: SessionSummary = { sessionId, eventCount: details.count };
        if (details.first) summary.firstSeen = details.first.observedAt;
        if (details.last) summary.lastSeen = details.last.observedAt;
        yield summary;
      }
    },

    async delete(sessionId: string): Promise<void> {
      const dir = path.dirname(sessionFile(baseDir, sessionId));
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
