import { createRecord, describeError, type AppendOutcome, type HookPayload, type StoredRecord } from '@runbook/storage-core';
import {
  capDepth,
  DEFAULT_LIMITS,
  depthMarker,
  fitToSize,
  notePaths,
  pathsOfValue,
  precutToSize,
  pruneDeepJson,
  TRUNCATION_MARKER,
  type IngestLimits,
} from './limits.js';
import { createRedactor, type PayloadRedactor } from './redaction/payload.js';
import { redactText } from './redaction/text.js';
import { keepTopLevelFields } from './top-level.js';

export type { PayloadRedactor } from './redaction/payload.js';

/** Anything records can be appended to: a `SessionBackend` or a composite store. */
export interface RecordSink {
  append(record: StoredRecord): Promise<AppendOutcome>;
}

export interface ParseOptions {
  limits?: Partial<IngestLimits>;
  /**
   * Removes secrets before anything is stored. Default: the built-in detectors (`createRedactor()`).
   * `false` stores payloads as they arrive.
   */
  redact?: PayloadRedactor | false;
  /** Time stamped on the record (default: now). */
  now?: Date;
  /** Working directory recorded when the payload has no `cwd`. */
  fallbackCwd?: string;
  /** Size of the whole input when `input` holds only its start (a reader stopped at the cap). */
  inputBytes?: number;
  /**
   * Time (milliseconds of `clock`) by which redaction must finish: strings it has not reached by then are
   * stored as a marker saying so, never unread. Default: no deadline.
   */
  deadline?: number;
  /** The clock `deadline` is read on (default `Date.now`). */
  clock?: () => number;
}

export type RejectReason = 'empty' | 'invalid-json' | 'not-object' | 'missing-field' | 'invalid-field' | 'too-large';

/** Longest `session_id` accepted (Claude Code sends a UUID). */
export const MAX_SESSION_ID_LENGTH = 1024;
/** Longest `hook_event_name` accepted (Claude Code sends names like `PostToolUse`). */
export const MAX_EVENT_NAME_LENGTH = 256;

export type ParseResult =
  | { ok: true; record: StoredRecord; notes: string[] }
  | { ok: false; reason: RejectReason; message: string };

export type IngestResult =
  | { status: 'stored' | 'duplicate'; record: StoredRecord; notes: string[] }
  | { status: 'rejected'; reason: RejectReason; message: string }
  | { status: 'failed'; record: StoredRecord; message: string; error: unknown };

const decoder = new TextDecoder('utf-8', { fatal: false });
/** How much of an over-cap input is read for its identity fields. */
const SALVAGE_BYTES = 64 * 1024;

const MAX_PATH_CHARS = 4096;
/** Longest marker a redaction can leave, `[REDACTED:<label>]` with a 64-character label, JSON-escaped. */
const MAX_MARKER_BYTES = 128;

function shortPath(value: string): string {
  return value.length <= MAX_PATH_CHARS ? value : `${value.slice(0, MAX_PATH_CHARS)}${TRUNCATION_MARKER}`;
}

function requiredString(payload: HookPayload, field: string): string | undefined {
  const value = payload[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Pull `session_id` and `hook_event_name` out of the start of an input too large to parse whole. */
function salvageIdentity(head: string): { sessionId: string; eventName: string } | undefined {
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
 * Turn raw hook stdin into a record ready to store: parse (nesting past `maxDepth` cut before parsing),
 * validate (`session_id` and `hook_event_name` required, any event name accepted, every other field kept),
 * redact (built-in detectors unless `redact` says otherwise), then cap nesting and size. Never throws.
 */
export function parseHookEvent(input: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const byteLength = options.inputBytes ?? (typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength);

  if (byteLength > limits.maxInputBytes) {
    // Only the start is read: the identity fields come first in every hook event.
    const head = typeof input === 'string' ? input.slice(0, SALVAGE_BYTES) : decoder.decode(input.subarray(0, SALVAGE_BYTES));
    const identity = salvageIdentity(head);
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

  let text = typeof input === 'string' ? input : decoder.decode(input);
  if (text.trim() === '') return { ok: false, reason: 'empty', message: 'no hook event on stdin (empty input)' };
  const pruned = pruneDeepJson(text, limits.maxDepth);
  text = pruned.text;
  const reducedNotes: string[] = [];
  if (pruned.leastBytes > limits.maxEventBytes) {
    // Too much structure to ever fit: parse only the small top-level fields.
    // Nesting cut from the text moved the fields: find them again in the (now shallow) text.
    const fields = pruned.cut > 0 ? pruneDeepJson(text, limits.maxDepth).fields : pruned.fields;
    const reduced = keepTopLevelFields(text, fields, limits.maxEventBytes);
    if (reduced) {
      text = reduced.text;
      reducedNotes.push(`payload cannot be shortened below about ${pruned.leastBytes} bytes, over the ${limits.maxEventBytes}-byte event cap; kept its small top-level fields, dropped ${reduced.dropped.length} large one(s)`);
    }
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser quotes a piece of the input in its message: that piece may hold a secret.
    const detail = redactText(describeError(error)).text.slice(0, 300);
    return { ok: false, reason: 'invalid-json', message: `hook event is not valid JSON (${detail})` };
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
  if (sessionId.length > MAX_SESSION_ID_LENGTH) {
    return { ok: false, reason: 'invalid-field', message: `hook event session_id is ${sessionId.length} characters long (at most ${MAX_SESSION_ID_LENGTH})` };
  }
  if (eventName.length > MAX_EVENT_NAME_LENGTH) {
    return { ok: false, reason: 'invalid-field', message: `hook event hook_event_name is ${eventName.length} characters long (at most ${MAX_EVENT_NAME_LENGTH})` };
  }

  const notes: string[] = [...reducedNotes];
  const truncated: string[] = reducedNotes.length > 0 ? ['$'] : [];
  const overflow = { count: 0 };

  // Strings that will be cut to fit are cut first (with slack), so redaction reads no more than fits.
  const precut = precutToSize(payload, Buffer.byteLength(text), limits.maxEventBytes);

  // Secrets go first, so nothing below (paths of cut values included) can carry one.
  let redactions: Record<string, number> = {};
  const redact = options.redact ?? createRedactor();
  if (redact) {
    try {
      const redacted = redact(payload, { ...(options.deadline !== undefined ? { deadline: options.deadline } : {}), ...(options.clock ? { clock: options.clock } : {}) });
      payload = redacted.payload;
      redactions = redacted.redactions;
      if (redacted.unreached) {
        notes.push(`redaction ran out of time; ${redacted.unreached} value(s) it had not reached were replaced by a marker`);
        truncated.push('$');
      }
    } catch (error) {
      // Never store what could not be redacted: keep the event, not its payload.
      const reason = redactText(describeError(error)).text.slice(0, 200);
      payload = { session_id: sessionId, hook_event_name: eventName, [TRUNCATION_MARKER]: `payload dropped: redaction failed (${reason})` };
      notes.push(`redaction failed (${reason}); kept the event without its payload`);
      truncated.push('$');
    }
  }

  // Copied out of the payload onto the record, so held to a path's length here.
  const cwd = shortPath(typeof payload.cwd === 'string' ? payload.cwd : options.fallbackCwd ?? '');
  const transcriptPath = typeof payload.transcript_path === 'string' ? shortPath(payload.transcript_path) : null;

  const deep = pruned.cut > 0 ? pathsOfValue(payload, depthMarker(limits.maxDepth)) : [];
  deep.push(...capDepth(payload, limits.maxDepth));
  if (deep.length > 0) {
    notes.push(`${Math.max(deep.length, pruned.cut)} value(s) nested deeper than ${limits.maxDepth} levels replaced`);
    notePaths(truncated, deep, overflow);
  }

  // The payload's compact form is never longer than the text it was parsed from, and each redaction adds at
  // most one marker: when that bound is within the cap there is no need to serialize it to measure it.
  let removed = 0;
  for (const count of Object.values(redactions)) removed += count;
  // (Measured on the decoded text: an invalid UTF-8 byte becomes a three-byte replacement character.)
  const bound = Buffer.byteLength(text) + removed * MAX_MARKER_BYTES;
  let size = deep.length === 0 && bound <= limits.maxEventBytes ? bound : Buffer.byteLength(JSON.stringify(payload));
  let shortened = 0;
  if (precut.length > 0) {
    // Redacted first, so the paths carry no secret.
    const paths = precut.map((p) => redactText(p).text);
    notePaths(truncated, paths, overflow);
    shortened = precut.length;
  }
  for (let pass = 0; pass < 3 && size > limits.maxEventBytes; pass++) {
    const cut = fitToSize(payload, size, limits.maxEventBytes);
    if (cut.length === 0) break;
    shortened = Math.max(shortened, cut.length);
    notePaths(truncated, cut, overflow);
    size = Buffer.byteLength(JSON.stringify(payload));
  }
  if (size > limits.maxEventBytes) {
    // Too many small values to shorten: keep the event, not its payload.
    payload = {
      session_id: sessionId,
      hook_event_name: eventName,
      ...(typeof payload.cwd === 'string' ? { cwd } : {}),
      [TRUNCATION_MARKER]: `payload of ${size} bytes dropped: still over the ${limits.maxEventBytes}-byte event cap after shortening strings`,
    };
    truncated.length = 0;
    overflow.count = 0;
    truncated.push('$');
    notes.push(`payload of ${size} bytes could not be shortened to ${limits.maxEventBytes} bytes; kept the event without its payload`);
  } else if (shortened > 0) {
    notes.push(`${shortened} field(s) shortened to fit ${limits.maxEventBytes} bytes`);
  }
  if (overflow.count > 0) truncated.push(`… and ${overflow.count} more`);

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
