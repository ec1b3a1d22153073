import type { StoredRecord } from '@runbook/storage-core';

/** What an indexed document is: a stored hook event, a learning artifact, a runbook, or a transcript line. */
export type DocKind = 'event' | 'learning' | 'runbook' | 'transcript';

/** One searchable unit. Text is what the hook stored (already redacted), capped at {@link MAX_DOC_TEXT}. */
export interface IndexDoc {
  kind: DocKind;
  /** The session it belongs to; `''` for a runbook or an artifact that names none. */
  sessionId: string;
  /** The event's id; for files, the path relative to the project. */
  ref: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** Hook event name (`PostToolUseFailure`, ...); for files, what kind of file (`postmortem`, `runbook`, ...). */
  eventName: string;
  /** Tool name for tool events, else `''`. */
  tool: string;
  text: string;
}

/** Characters of one document kept for searching and snippets. */
export const MAX_DOC_TEXT = 16 * 1024;
const MAX_LEAF = 8 * 1024;
/** Payload fields that say nothing searchable (they are columns, or paths on one machine). */
const SKIP_FIELDS = new Set([
  'session_id',
  'transcript_path',
  'cwd',
  'hook_event_name',
  'permission_mode',
  'tool_use_id',
  'agent_transcript_path',
]);

/** The string leaves of a value, depth first, in key order; numbers and booleans of exit codes are kept as words. */
function collectLeaves(value: unknown, out: string[], budget: { left: number }, depth = 0): void {
  if (budget.left <= 0 || depth > 12) return;
  if (typeof value === 'string') {
    const text = value.length > MAX_LEAF ? value.slice(0, MAX_LEAF) : value;
    if (text.trim() === '') return;
    out.push(text);
    budget.left -= text.length;
  } else if (Array.isArray(value)) {
    for (const item of value) collectLeaves(item, out, budget, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (depth === 0 && SKIP_FIELDS.has(key)) continue;
      collectLeaves(item, out, budget, depth + 1);
    }
  }
}

/** The searchable text of one payload: its string fields joined by new lines, capped. */
export function payloadText(payload: Record<string, unknown>): string {
  const parts: string[] = [];
  collectLeaves(payload, parts, { left: MAX_DOC_TEXT });
  const text = parts.join('\n');
  return text.length > MAX_DOC_TEXT ? text.slice(0, MAX_DOC_TEXT) : text;
}

/** A stored event as a document. */
export function eventDocument(record: StoredRecord): IndexDoc {
  const payload = record.payload ?? {};
  const tool = typeof payload.tool_name === 'string' ? payload.tool_name : '';
  const time = Date.parse(record.observedAt);
  return {
    kind: 'event',
    sessionId: record.sessionId,
    ref: record.eventId,
    time: Number.isFinite(time) ? time : 0,
    eventName: record.eventName,
    tool,
    text: payloadText(payload),
  };
}
