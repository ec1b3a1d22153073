import { createRecord, describeError, type AppendOutcome, type StoredRecord } from '@runbook/storage-core';
import { DEFAULT_LIMITS, precutToSize, TRUNCATION_MARKER, type IngestLimits } from './limits.js';
import { fitToCaps } from './parse/fit-to-caps.js';
import { parseAndValidate } from './parse/parse-and-validate.js';
import { redactPayload } from './parse/redact.js';
import type { ParseResult, RejectReason } from './parse/result.js';
import { salvageOversized } from './parse/salvage.js';
import { createRedactor, type PayloadRedactor } from './redaction/payload.js';

export type { PayloadRedactor } from './redaction/payload.js';
export { MAX_EVENT_NAME_LENGTH, MAX_SESSION_ID_LENGTH } from './parse/parse-and-validate.js';
export type { ParseResult, RejectReason } from './parse/result.js';

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

export type IngestResult =
  | { status: 'stored' | 'duplicate'; record: StoredRecord; notes: string[] }
  | { status: 'rejected'; reason: RejectReason; message: string }
  | { status: 'failed'; record: StoredRecord; message: string; error: unknown };

const MAX_PATH_CHARS = 4096;

function shortPath(value: string): string {
  return value.length <= MAX_PATH_CHARS ? value : `${value.slice(0, MAX_PATH_CHARS)}${TRUNCATION_MARKER}`;
}

/**
 * Turn raw hook stdin into a record ready to store: parse (nesting past `maxDepth` cut before parsing),
 * validate (`session_id` and `hook_event_name` required, any event name accepted, every other field kept),
 * redact (built-in detectors unless `redact` says otherwise), then cap nesting and size. Never throws.
 */
export function parseHookEvent(input: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const limits: IngestLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const byteLength = options.inputBytes ?? (typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength);
  if (byteLength > limits.maxInputBytes) return salvageOversized(input, byteLength, limits.maxInputBytes, options);

  const parsed = parseAndValidate(input, limits);
  if (!parsed.ok) return parsed;
  const { text, sessionId, eventName } = parsed.event;
  let { payload } = parsed.event;
  const notes: string[] = parsed.event.reducedNote ? [parsed.event.reducedNote] : [];
  const truncated: string[] = parsed.event.reducedNote ? ['$'] : [];
  const textBytes = Buffer.byteLength(text);

  // Strings that will be cut to fit are cut first (with slack), so redaction reads no more than fits.
  const precut = precutToSize(payload, textBytes, limits.maxEventBytes);

  // Secrets go first, so nothing below (paths of cut values included) can carry one.
  let redactions: Record<string, number> = {};
  const redact = options.redact ?? createRedactor();
  if (redact) {
    const redacted = redactPayload(payload, { sessionId, eventName }, redact, options);
    payload = redacted.payload;
    redactions = redacted.redactions;
    if (redacted.note) {
      notes.push(redacted.note);
      truncated.push('$');
    }
  }

  // Copied out of the payload onto the record, so held to a path's length here.
  const cwd = shortPath(typeof payload.cwd === 'string' ? payload.cwd : (options.fallbackCwd ?? ''));
  const transcriptPath = typeof payload.transcript_path === 'string' ? shortPath(payload.transcript_path) : null;

  payload = fitToCaps(
    { payload, sessionId, eventName, cwd, textBytes, cutBeforeParse: parsed.event.cutBeforeParse, precut, redactions },
    limits,
    notes,
    truncated,
  );

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
export async function ingestHookEvent(
  input: Uint8Array | string,
  sink: RecordSink,
  options: ParseOptions = {},
): Promise<IngestResult> {
  const parsed = parseHookEvent(input, options);
  if (!parsed.ok) return { status: 'rejected', reason: parsed.reason, message: parsed.message };
  try {
    const outcome = await sink.append(parsed.record);
    return { status: outcome, record: parsed.record, notes: parsed.notes };
  } catch (error) {
    return { status: 'failed', record: parsed.record, message: describeError(error), error };
  }
}
