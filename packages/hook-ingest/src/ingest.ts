import { createRecord, describeError, type AppendOutcome, type HookPayload, type StoredRecord } from '@runbook/storage-core';
import { capDepth, DEFAULT_LIMITS, fitToSize, TRUNCATION_MARKER, type IngestLimits } from './limits.js';

/** Anything records can be appended to: a `SessionBackend` or a composite store. */
export interface RecordSink {
  append(record: StoredRecord): Promise<AppendOutcome>;
}

/** A step that removes secrets from a payload before it is stored; returns counts by detector. */
export type PayloadRedactor = (payload: HookPayload) => { payload: HookPayload; redactions: Record<string, number> };

export interface ParseOptions {
  limits?: Partial<IngestLimits>;
  redact?: PayloadRedactor;
  /** Time stamped on the record (default: now). */
  now?: Date;
  /** Working directory recorded when the payload has no `cwd`. */
  fallbackCwd?: string;
  /** Size of the whole input when `input` holds only its start (a reader stopped at the cap). */
  inputBytes?: number;
}

export type RejectReason = 'empty' | 'invalid-json' | 'not-object' | 'missing-field' | 'too-large';

export type ParseResult =
  | { ok: true; record: StoredRecord; notes: string[] }
  | { ok: false; reason: RejectReason; message: string };

export type IngestResult =
  | { status: 'stored' | 'duplicate'; record: StoredRecord; notes: string[] }
  | { status: 'rejected'; reason: RejectReason; message: string }
  | { status: 'failed'; record: StoredRecord; message: string; error: unknown };

const decoder = new TextDecoder('utf-8', { fatal: false });

function requiredString(payload: HookPayload, field: string): string | undefined {
  const value = payload[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Pull `session_id` and `hook_event_name` out of the start of an input too large to parse whole. */
function salvageIdentity(text: string): { sessionId: string; eventName: string } | undefined {
  const head = text.slice(0, 64 * 1024);
  const sessionId = /"session_id"\s*:\s*"((?:[^"\\]|\\.){1,1024})"/.exec(head)?.[1];
  const eventName = /"hook_event_name"\s*:\s*"((?:[^"\\]|\\.){1,256})"/.exec(head)?.[1];
  if (!sessionId || !eventName) return undefined;
  try {
    return { sessionId: JSON.parse(`"${sessionId}"`) as string, eventName: JSON.parse(`"${eventName}"`) as string };
  } catch {
    return undefined;
  }
}

/**
 * Turn raw hook stdin into a record ready to store: parse, validate (`session_id` and `hook_event_name`
 * required, any event name accepted, every other field kept), cap nesting and size, redact. Never throws.
 */
export function parseHookEvent(input: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const byteLength = options.inputBytes ?? (typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength);
  const text = typeof input === 'string' ? input : decoder.decode(input);
  if (text.trim() === '') return { ok: false, reason: 'empty', message: 'no hook event on stdin (empty input)' };

  if (byteLength > limits.maxInputBytes) {
    const identity = salvageIdentity(text);
    if (!identity) {
      return { ok: false, reason: 'too-large', message: `hook event of ${byteLength} bytes exceeds the ${limits.maxInputBytes}-byte input cap and has no readable session_id/hook_event_name` };
    }
    const record = createRecord({
      ...identity,
      cwd: options.fallbackCwd ?? '',
      payload: { session_id: identity.sessionId, hook_event_name: identity.eventName, [TRUNCATION_MARKER]: `payload of ${byteLength} bytes dropped: over the ${limits.maxInputBytes}-byte input cap` },
      truncated: ['$'],
      ...(options.now ? { observedAt: options.now } : {}),
    });
    return { ok: true, record, notes: [`payload of ${byteLength} bytes exceeded the input cap; kept the event without its payload`] };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'invalid-json', message: `hook event is not valid JSON (${describeError(error)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { ok: false, reason: 'not-object', message: `hook event must be a JSON object, got ${kind}` };
  }
  let payload = value as HookPayload;
  const sessionId = requiredString(payload, 'session_id');
  if (!sessionId) return { ok: false, reason: 'missing-field', message: 'hook event has no session_id (a non-empty string is required)' };
  const eventName = requiredString(payload, 'hook_event_name');
  if (!eventName) return { ok: false, reason: 'missing-field', message: 'hook event has no hook_event_name (a non-empty string is required)' };

  const notes: string[] = [];
  const truncated = capDepth(payload, limits.maxDepth);
  if (truncated.length > 0) notes.push(`${truncated.length} value(s) nested deeper than ${limits.maxDepth} levels replaced`);

  let redactions: Record<string, number> = {};
  if (options.redact) {
    const redacted = options.redact(payload);
    payload = redacted.payload;
    redactions = redacted.redactions;
  }

  let size = truncated.length > 0 || options.redact ? Buffer.byteLength(JSON.stringify(payload)) : byteLength;
  for (let pass = 0; pass < 3 && size > limits.maxEventBytes; pass++) {
    const cut = fitToSize(payload, size, limits.maxEventBytes);
    truncated.push(...cut.filter((p) => !truncated.includes(p)));
    size = Buffer.byteLength(JSON.stringify(payload));
  }
  if (size > limits.maxEventBytes) notes.push(`payload still ${size} bytes after shortening strings`);
  else if (truncated.length > 0 && size !== byteLength) notes.push(`${truncated.length} field(s) shortened to fit ${limits.maxEventBytes} bytes`);

  const cwd = typeof payload.cwd === 'string' ? payload.cwd : options.fallbackCwd ?? '';
  const transcriptPath = typeof payload.transcript_path === 'string' ? payload.transcript_path : null;
  const record = createRecord({
    sessionId,
    eventName,
    cwd,
    transcriptPath,
    payload,
    redactions,
    truncated,
    ...(options.now ? { observedAt: options.now } : {}),
  });
  return { ok: true, record, notes };
}

/** Parse, validate, normalise and redact one hook event, then append it to `sink`. Never throws. */
export async function ingestHookEvent(input: Uint8Array | string, sink: RecordSink, options: ParseOptions = {}): Promise<IngestResult> {
  const parsed = parseHookEvent(input, options);
  if (!parsed.ok) return { status: 'rejected', reason: parsed.reason, message: parsed.message };
  try {
    const outcome = await sink.append(parsed.record);
    return { status: outcome, record: parsed.record, notes: parsed.notes };
  } catch (error) {
    return { status: 'failed', record: parsed.record, message: describeError(error), error };
  }
}
