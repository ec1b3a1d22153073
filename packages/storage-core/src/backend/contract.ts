import type { StoredRecord } from '../record/record.js';
import type { TranscriptChunk, TranscriptReadOptions } from './transcript.js';

/** Outcome of one append: `duplicate` means a record with the same `eventId` was already stored. */
export type AppendOutcome = 'stored' | 'duplicate';

/** One session as a backend knows it. Fields a backend cannot get cheaply are left out. */
export interface SessionSummary {
  sessionId: string;
  firstSeen?: string;
  lastSeen?: string;
  eventCount?: number;
}

/** Something a reader skipped instead of failing on. */
export interface ReadIssue {
  kind: 'torn-line' | 'corrupt-line' | 'duplicate';
  sessionId: string;
  /** Where, e.g. `events.ndjson:42` or an object key. */
  location: string;
  detail: string;
}

export interface ReadOptions {
  /** Called for each line or object skipped; readers never throw on bad data. */
  onIssue?: (issue: ReadIssue) => void;
  signal?: AbortSignal;
}

export interface ListOptions {
  signal?: AbortSignal;
}

/** Where a backend keeps sessions, for people (`status`, `doctor`, error messages). Never holds a secret. */
export interface BackendDescription {
  /** One printable line: a folder, `s3://bucket/prefix`, a repository URL with its branch and folder. */
  location: string;
  /** Further facts worth showing, label to value (e.g. `region`, `branch`, `cache`). */
  details?: Record<string, string>;
}

export interface ProbeOptions {
  signal?: AbortSignal;
}

/** What a health check found. A failed probe says what to do about it in `fix`. */
export interface ProbeResult {
  ok: boolean;
  /** What was checked and what was found, one line. */
  detail: string;
  /** One line telling the user what to change (which key, which permission, which command). */
  fix?: string;
}

/** What one `compact()` call did. */
export interface CompactionSummary {
  /** Objects written, each holding many events. */
  segments: number;
  /** Events merged into them (and removed from where they were). */
  events: number;
  /** Stored items left as they were because they hold no valid record of the session. */
  skipped: number;
}

/**
 * The storage contract: append one record, read one session in order. Every other capability is an
 * optional method, and its presence is the declaration: a backend defines `list`, `delete` or `compact`
 * only when it implements them, and callers check for the method, never call it to find out.
 */
export interface SessionBackend {
  readonly name: string;
  /** Persist one record. Appending the same `eventId` again must not make it read back twice. */
  append(record: StoredRecord): Promise<AppendOutcome>;
  /**
   * Persist many records, of any sessions, in one go (one commit, one request...), outcomes in the same
   * order. All or nothing: when it throws, callers treat every record as not stored and send them again.
   * Senders of many waiting records (the outbox drainer, `sync`) use it when present, in batches of up
   * to 100 records, one batch at a time.
   */
  appendBatch?(records: StoredRecord[]): Promise<AppendOutcome[]>;
  /** Stream one session's records in stored order; an unknown session yields nothing. */
  read(sessionId: string, options?: ReadOptions): AsyncIterable<StoredRecord>;
  /** Every stored session, each once. */
  list?(options?: ListOptions): AsyncIterable<SessionSummary>;
  /** `true` when `list()` fills in `eventCount`, `firstSeen` and `lastSeen` for every session. */
  readonly listDetails?: boolean;
  /** Remove one session's events; an unknown session is a no-op. */
  delete?(sessionId: string): Promise<void>;
  /**
   * Merge one session's stored events into fewer objects. Reads running before, during or after it
   * still see every event once; an unknown session is a no-op.
   */
  compact?(sessionId: string, options?: { signal?: AbortSignal }): Promise<CompactionSummary>;
  /** Where this backend keeps sessions, in words; cheap, no I/O, no secret. */
  describe?(): BackendDescription;
  /**
   * Check that the backend works as configured (reachable, credentials accepted, writable) without leaving
   * anything behind, and say how to fix what does not. Without it, `doctor` appends, reads back and deletes
   * a probe session.
   */
  probe?(options?: ProbeOptions): Promise<ProbeResult>;
  /**
   * Optional, declared by being present: keep a piece of a session's Claude Code transcript. Idempotent by
   * `(sessionId, file, generation, offset, length)`: the same chunk again is `duplicate` and reads back once.
   * Backends call `assertTranscriptChunk` first and store `text` byte for byte.
   */
  appendTranscript?(chunk: TranscriptChunk): Promise<AppendOutcome>;
  /**
   * Present exactly when `appendTranscript` is: a session's archived chunks, `main` first then subagents by
   * name, newest generation first, then by offset (longer first at one offset); nothing for an unknown session.
   * `readArchivedTranscript` turns this into what a reader wants (newest generation, each range once).
   */
  readTranscript?(sessionId: string, options?: TranscriptReadOptions): AsyncIterable<TranscriptChunk>;
  /** Release sockets, handles and timers. */
  close?(): Promise<void>;
}

/** What every backend factory receives besides its own config section. */
export interface BackendContext {
  /** Absolute project directory; relative paths in config resolve against it. */
  projectDir: string;
  /** Absolute local base directory (`localBaseDir` resolved). */
  localBaseDir: string;
  env: NodeJS.ProcessEnv;
}

/** A parser for a backend's own config section. zod schemas fit; so does any `{ parse }`. */
export interface ConfigParser<T> {
  parse(value: unknown): T;
}

export interface BackendDefinition<TConfig = unknown> {
  /** Short name used as `backend:` in config, e.g. `local` or `s3`. */
  readonly name: string;
  /** Key of this backend's own section under `sessionStorage` (e.g. `s3`); none when it has no options. */
  readonly configKey?: string;
  readonly configSchema?: ConfigParser<TConfig>;
  create(config: TConfig, context: BackendContext): SessionBackend | Promise<SessionBackend>;
}

/** Declare a backend package's entry point. The identity function, there for types and for discovery. */
export function defineBackend<TConfig>(definition: BackendDefinition<TConfig>): BackendDefinition<TConfig> {
  return definition;
}

/** Buffer a session fully. Convenience for tests and small sessions; real readers should stream. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
