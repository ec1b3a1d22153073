import type { HookPayload, StoredRecord } from './record.js';

/**
 * Version of the segment row layout below. Engines read segments with exactly these columns; a change
 * that renames, removes or retypes a column bumps it (adding a nullable column at the end does not).
 */
export const SEGMENT_SCHEMA_VERSION = 1 as const;

/** Column types, mapped to each engine's own names (times are ISO-8601 strings: JSON SerDes disagree on timestamp formats). */
export type SegmentColumnType = 'int' | 'string';

export interface SegmentColumn {
  readonly name: keyof SegmentRow;
  readonly type: SegmentColumnType;
  readonly description: string;
}

/** One stored event as one row of a compacted segment: flat columns engines filter on, the payload as JSON text. */
export interface SegmentRow {
  schema_version: number;
  event_id: string;
  session_id: string;
  event_name: string;
  /** ISO-8601 UTC, e.g. `2026-11-29T17:50:13.000Z`. */
  observed_at: string;
  cwd: string;
  transcript_path: string | null;
  tool_name: string | null;
  tool_use_id: string | null;
  /** `success` for PostToolUse, `failure` for PostToolUseFailure, null for events that are not a tool result. */
  outcome: 'success' | 'failure' | null;
  /** The failure's error text (first {@link ERROR_TEXT_LIMIT} characters), null when the event did not fail. */
  error_text: string | null;
  /** Values redaction removed from this event, all detectors together. */
  redaction_count: number;
  /** Counts by detector as JSON text (`{"aws-key":1}`), null when nothing was removed. */
  redactions: string | null;
  /** JSON paths shortened to fit the size cap, as JSON text; null when none. */
  truncated: string | null;
  /** The hook payload exactly as stored, as JSON text. */
  payload: string;
}

/** The published column schema, in column order. Partition column `dt` (`YYYY-MM-DD`, UTC) comes from the path. */
export const SEGMENT_COLUMNS: readonly SegmentColumn[] = [
  { name: 'schema_version', type: 'int', description: 'segment row layout version (1)' },
  { name: 'event_id', type: 'string', description: 'ULID of the event; unique, sortable by time' },
  { name: 'session_id', type: 'string', description: 'Claude Code session id' },
  { name: 'event_name', type: 'string', description: 'hook event name (PreToolUse, PostToolUseFailure, Stop, ...)' },
  {
    name: 'observed_at',
    type: 'string',
    description: 'when the hook saw the event: ISO-8601 UTC (from_iso8601_timestamp in Athena/Trino)',
  },
  { name: 'cwd', type: 'string', description: 'working directory of the session' },
  { name: 'transcript_path', type: 'string', description: 'transcript path Claude Code gave, or null' },
  { name: 'tool_name', type: 'string', description: 'tool of a tool event (Bash, Edit, mcp__...), or null' },
  { name: 'tool_use_id', type: 'string', description: 'pairs a PreToolUse with its result, or null' },
  { name: 'outcome', type: 'string', description: "'success', 'failure', or null for non-result events" },
  { name: 'error_text', type: 'string', description: 'error of a failed tool call (truncated), or null' },
  { name: 'redaction_count', type: 'int', description: 'values redaction removed from the event' },
  { name: 'redactions', type: 'string', description: 'redaction counts by detector as JSON text, or null' },
  { name: 'truncated', type: 'string', description: 'JSON paths shortened to fit the size cap as JSON text, or null' },
  { name: 'payload', type: 'string', description: 'the stored hook payload as JSON text' },
];

/** The partition column every segment path carries (`dt=YYYY-MM-DD`). */
export const SEGMENT_PARTITION_COLUMN = 'dt';

export const ERROR_TEXT_LIMIT = 4000;

function stringField(payload: HookPayload, name: string): string | null {
  const value = payload[name];
  return typeof value === 'string' ? value : null;
}

function outcomeOf(eventName: string): SegmentRow['outcome'] {
  if (eventName === 'PostToolUseFailure') return 'failure';
  if (eventName === 'PostToolUse') return 'success';
  return null;
}

/** The UTC day (`YYYY-MM-DD`) a record belongs to, or undefined when its time is not a time. */
export function segmentDay(observedAt: string): string | undefined {
  const time = Date.parse(observedAt);
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : undefined;
}

/** A stored record as a segment row. {@link rowToRecord} gives the same record back. */
export function recordToRow(record: StoredRecord): SegmentRow {
  const outcome = outcomeOf(record.eventName);
  const error = outcome === 'failure' ? stringField(record.payload, 'error') : null;
  const redactionCount = Object.values(record.redactions ?? {}).reduce((sum, n) => sum + n, 0);
  return {
    schema_version: SEGMENT_SCHEMA_VERSION,
    event_id: record.eventId,
    session_id: record.sessionId,
    event_name: record.eventName,
    observed_at: record.observedAt,
    cwd: record.cwd,
    transcript_path: record.transcriptPath,
    tool_name: stringField(record.payload, 'tool_name'),
    tool_use_id: stringField(record.payload, 'tool_use_id'),
    outcome,
    error_text: error === null ? null : error.slice(0, ERROR_TEXT_LIMIT),
    redaction_count: redactionCount,
    redactions: record.redactions ? JSON.stringify(record.redactions) : null,
    truncated: record.truncated ? JSON.stringify(record.truncated) : null,
    payload: JSON.stringify(record.payload),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A segment row back to the stored record, or a reason it is not a valid row. */
export function rowToRecord(row: unknown): { ok: true; record: StoredRecord } | { ok: false; reason: string } {
  if (!isObject(row)) return { ok: false, reason: 'row is not an object' };
  for (const name of ['event_id', 'session_id', 'event_name', 'observed_at', 'payload'] as const) {
    if (typeof row[name] !== 'string' || row[name] === '') return { ok: false, reason: `row has no ${name}` };
  }
  const payload = parseJsonText(row.payload);
  if (!isObject(payload)) return { ok: false, reason: 'row payload is not a JSON object' };
  const record: StoredRecord = {
    schemaVersion: 1,
    eventId: row.event_id as string,
    observedAt: row.observed_at as string,
    sessionId: row.session_id as string,
    eventName: row.event_name as string,
    cwd: typeof row.cwd === 'string' ? row.cwd : '',
    transcriptPath: typeof row.transcript_path === 'string' ? row.transcript_path : null,
    payload,
  };
  const redactions = parseJsonText(row.redactions);
  if (isObject(redactions)) record.redactions = redactions as Record<string, number>;
  const truncated = parseJsonText(row.truncated);
  if (Array.isArray(truncated)) record.truncated = truncated.filter((p): p is string => typeof p === 'string');
  return { ok: true, record };
}
