import { createEventId } from './event-id.js';

/** Version of the stored record layout. Records written before versioning (RunbookAI) have none. */
export const SCHEMA_VERSION = 1 as const;

/** What a hook event's payload is: the JSON object Claude Code sent, unknown fields kept. */
export type HookPayload = Record<string, unknown>;

/**
 * One stored hook event. `observedAt`, `sessionId`, `eventName`, `cwd`, `transcriptPath` and `payload`
 * are named as RunbookAI names them, so its `events.ndjson` files read back unchanged.
 */
export interface StoredRecord {
  schemaVersion: typeof SCHEMA_VERSION;
  /** ULID: unique, sortable by time; the idempotency key for re-delivery. */
  eventId: string;
  /** ISO-8601 time the hook saw the event. */
  observedAt: string;
  sessionId: string;
  eventName: string;
  cwd: string;
  transcriptPath: string | null;
  payload: HookPayload;
  /** What redaction removed, by detector (counts only, never values). */
  redactions?: Record<string, number>;
  /** Fields shortened to fit the size cap, as JSON paths. */
  truncated?: string[];
}

export interface NewRecordInput {
  sessionId: string;
  eventName: string;
  cwd?: string;
  transcriptPath?: string | null;
  payload: HookPayload;
  observedAt?: Date;
  eventId?: string;
  redactions?: Record<string, number>;
  truncated?: string[];
}

/** Build a record to store, stamping a fresh event id and time when none is given. */
export function createRecord(input: NewRecordInput): StoredRecord {
  const observed = input.observedAt ?? new Date();
  const record: StoredRecord = {
    schemaVersion: SCHEMA_VERSION,
    eventId: input.eventId ?? createEventId(observed.getTime()),
    observedAt: observed.toISOString(),
    sessionId: input.sessionId,
    eventName: input.eventName,
    cwd: input.cwd ?? '',
    transcriptPath: input.transcriptPath ?? null,
    payload: input.payload,
  };
  if (input.redactions && Object.keys(input.redactions).length > 0) record.redactions = input.redactions;
  if (input.truncated && input.truncated.length > 0) record.truncated = input.truncated;
  return record;
}

/** One record as a single ndjson line, newline included. */
export function serializeRecord(record: StoredRecord): string {
  return `${JSON.stringify(record)}\n`;
}
