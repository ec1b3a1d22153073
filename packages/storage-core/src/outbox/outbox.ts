import { createRequire } from 'node:module';
// fs.promises is reached through `fs` at the call, so hook processes that never read the outbox do not load it.
import { closeSync, fsyncSync, mkdirSync, openSync, promises as fsp, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { RunbookError, describeError } from '../errors.js';
import { serializeRecord, type StoredRecord } from '../record/record.js';
import { loadRecordParser } from '../record/parser.js';
import { sessionIdToSegment } from '../record/session-id.js';
import { EVENT_ID_PATTERN } from '../record/event-id.js';

/** node:crypto, loaded on first use: the local-backend hook path imports this module but never spools. */
const nodeCrypto = (): typeof import('node:crypto') =>
  createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');

/** Spool entries end in this; anything else in the directory (temp files, the lock) is not an entry. */
const ENTRY_SUFFIX = '.json';
const TEMP_PREFIX = '.tmp-';
export const CORRUPT_DIR = 'corrupt';

export interface OutboxOptions {
  /** The spool directory: one file per event waiting for upload. */
  dir: string;
  /** Flush each entry to disk before it counts as written (default true). */
  fsync?: boolean;
  dirMode?: number;
  fileMode?: number;
}

/** The kind of an entry holding one hook event (the only kind whose name carries no kind part). */
export const EVENT_ENTRY_KIND = 'event';
/** Entry kinds other than events: lower-case words, e.g. `transcript-chunk`. */
const KIND_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * What reading an entry found: an event record, the parsed JSON of an entry of another kind, or why
 * it could not be read.
 */
export type OutboxRead =
  | { ok: true; kind: typeof EVENT_ENTRY_KIND; record: StoredRecord }
  | { ok: true; kind: 'other'; entryKind: string; data: unknown }
  | { ok: false; reason: string };

/** Identifies an entry of a kind other than events: a time-sortable id (a ULID) and the session it belongs to. */
export interface OutboxItemKey {
  id: string;
  sessionId: string;
}

/**
 * A durable outbox: events wait here, one file each, until a backend has them. Entries are written
 * to a temp file and renamed into place, so an entry is either whole or absent, and re-spooling an
 * event replaces its own entry. Entry names sort in event order.
 */
export interface Outbox {
  readonly dir: string;
  /** Write one event entry (synchronously: the event is on disk when this returns). Returns its name. */
  put(record: StoredRecord): string;
  /**
   * Write one entry of another kind (`kind` names it: lower-case words such as `transcript-chunk`); `data`
   * is stored as JSON and handed back by `read`. Re-putting the same key and kind replaces the entry.
   */
  putItem(kind: string, key: OutboxItemKey, data: unknown): string;
  /** Remove an entry; an entry already gone is fine. */
  remove(name: string): void;
  /** Entry names in event order. */
  names(): Promise<string[]>;
  read(name: string): Promise<OutboxRead | undefined>;
  /** Move an unreadable entry to `<dir>/corrupt/` so it stops blocking the queue; returns where it went. */
  quarantine(name: string): Promise<string>;
}

/**
 * The entry name of a record: event id first (so names sort in event order), then a short session hash,
 * then (for kinds other than events) the kind: `<id>.<hash>.json` or `<id>.<hash>.<kind>.json`.
 */
export function outboxEntryName(
  record: Pick<StoredRecord, 'eventId' | 'sessionId'>,
  kind: string = EVENT_ENTRY_KIND,
): string {
  if (kind !== EVENT_ENTRY_KIND && !KIND_PATTERN.test(kind))
    throw new RunbookError(
      'RECORD_INVALID',
      `outbox entry kind must be lower-case words (a-z, 0-9, -), got ${JSON.stringify(kind)}`,
    );
  const id = EVENT_ID_PATTERN.test(record.eventId) ? record.eventId : sessionIdToSegment(record.eventId);
  const session = nodeCrypto().createHash('sha256').update(record.sessionId, 'utf8').digest('hex').slice(0, 12);
  return `${id}.${session}${kind === EVENT_ENTRY_KIND ? '' : `.${kind}`}${ENTRY_SUFFIX}`;
}

/** The kind of an entry, from its name: `event`, or what `putItem` was given. */
export function outboxEntryKind(name: string): string {
  const parts = name.slice(0, -ENTRY_SUFFIX.length).split('.');
  return parts.length >= 3 ? parts[parts.length - 1]! : EVENT_ENTRY_KIND;
}

/** Milliseconds since the epoch encoded in an entry name's event id, when it is a ULID. */
export function outboxEntryTime(name: string): number | undefined {
  const id = name.slice(0, 26);
  if (!EVENT_ID_PATTERN.test(id)) return undefined;
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = 0;
  for (const ch of id.slice(0, 10)) time = time * 32 + alphabet.indexOf(ch);
  return time;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export function openOutbox(options: OutboxOptions): Outbox {
  const dir = path.resolve(options.dir);
  const fsync = options.fsync ?? true;
  const dirMode = options.dirMode ?? 0o700;
  const fileMode = options.fileMode ?? 0o600;

  function writeEntry(target: string, data: Buffer): void {
    const temp = path.join(dir, `${TEMP_PREFIX}${process.pid}-${nodeCrypto().randomBytes(6).toString('hex')}`);
    const fd = openSync(temp, 'wx', fileMode);
    // A write, flush or rename that fails (a full disk) leaves no partial temp file behind.
    try {
      try {
        let offset = 0;
        while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
        if (fsync) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, target);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // nothing left to clean
      }
      throw error;
    }
  }

  function writeNamed(name: string, text: string): string {
    const data = Buffer.from(text, 'utf8');
    const target = path.join(dir, name);
    try {
      try {
        writeEntry(target, data);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        mkdirSync(dir, { recursive: true, mode: dirMode });
        writeEntry(target, data);
      }
    } catch (error) {
      throw new RunbookError('STORAGE_WRITE_FAILED', `cannot spool event to ${dir}: ${describeError(error)}`, {
        cause: error,
      });
    }
    return name;
  }

  return {
    dir,

    put(record) {
      return writeNamed(outboxEntryName(record), serializeRecord(record));
    },

    putItem(kind, key, value) {
      if (kind === EVENT_ENTRY_KIND) throw new RunbookError('RECORD_INVALID', 'events are put with put(record)');
      return writeNamed(
        outboxEntryName({ eventId: key.id, sessionId: key.sessionId }, kind),
        `${JSON.stringify(value)}\n`,
      );
    },

    remove(name) {
      try {
        unlinkSync(path.join(dir, name));
      } catch (error) {
        if (!isNotFound(error))
          throw new RunbookError(
            'STORAGE_WRITE_FAILED',
            `cannot remove ${path.join(dir, name)}: ${describeError(error)}`,
            { cause: error },
          );
      }
    },

    async names() {
      let entries: string[];
      try {
        entries = await fsp.readdir(dir);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw new RunbookError('STORAGE_READ_FAILED', `cannot list ${dir}: ${describeError(error)}`, { cause: error });
      }
      return entries.filter((n) => n.endsWith(ENTRY_SUFFIX) && !n.startsWith('.')).sort();
    },

    async read(name) {
      let text: string;
      try {
        text = await fsp.readFile(path.join(dir, name), 'utf8');
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw new RunbookError('STORAGE_READ_FAILED', `cannot read ${path.join(dir, name)}: ${describeError(error)}`, {
          cause: error,
        });
      }
      const kind = outboxEntryKind(name);
      if (kind !== EVENT_ENTRY_KIND) {
        try {
          return { ok: true, kind: 'other', entryKind: kind, data: JSON.parse(text) as unknown };
        } catch (error) {
          return { ok: false, reason: `not JSON: ${describeError(error)}` };
        }
      }
      const parsed = (await loadRecordParser())(text.trim());
      return parsed.ok
        ? { ok: true, kind: EVENT_ENTRY_KIND, record: parsed.record }
        : { ok: false, reason: parsed.reason };
    },

    async quarantine(name) {
      const target = path.join(dir, CORRUPT_DIR, name);
      mkdirSync(path.dirname(target), { recursive: true, mode: dirMode });
      await fsp.rename(path.join(dir, name), target);
      return target;
    },
  };
}
