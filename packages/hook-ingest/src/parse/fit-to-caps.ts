import type { HookPayload } from '@runbook/storage-core';
import {
  capDepth,
  depthMarker,
  fitToSize,
  notePaths,
  pathsOfValue,
  TRUNCATION_MARKER,
  type IngestLimits,
} from '../limits.js';
import { redactText } from '../redaction/text.js';

/** Longest marker a redaction can leave, `[REDACTED:<label>]` with a 64-character label, JSON-escaped. */
const MAX_MARKER_BYTES = 128;

export interface FitInput {
  /** The redacted payload; shortened in place. */
  payload: HookPayload;
  sessionId: string;
  eventName: string;
  /** The record's `cwd`, kept when the whole payload must go. */
  cwd: string;
  /** Size of the text the payload was parsed from. */
  textBytes: number;
  /** Values nested deeper than `maxDepth` cut from the text before parsing. */
  cutBeforeParse: number;
  /** Paths of the strings cut before redaction (`precutToSize`), not yet redacted. */
  precut: string[];
  redactions: Record<string, number>;
}

/**
 * Hold a redacted payload to the nesting and size caps: values nested too deep are replaced, long strings
 * shortened, and a payload that still does not fit is dropped with the event kept. Says what it did in
 * `notes` and the paths it cut in `truncated`; returns the payload to store.
 */
export function fitToCaps(input: FitInput, limits: IngestLimits, notes: string[], truncated: string[]): HookPayload {
  let { payload } = input;
  const overflow = { count: 0 };

  const deep = input.cutBeforeParse > 0 ? pathsOfValue(payload, depthMarker(limits.maxDepth)) : [];
  deep.push(...capDepth(payload, limits.maxDepth));
  if (deep.length > 0) {
    notes.push(
      `${Math.max(deep.length, input.cutBeforeParse)} value(s) nested deeper than ${limits.maxDepth} levels replaced`,
    );
    notePaths(truncated, deep, overflow);
  }

  // The payload's compact form is never longer than the text it was parsed from, and each redaction adds at
  // most one marker: when that bound is within the cap there is no need to serialize it to measure it.
  let removed = 0;
  for (const count of Object.values(input.redactions)) removed += count;
  // (Measured on the decoded text: an invalid UTF-8 byte becomes a three-byte replacement character.)
  const bound = input.textBytes + removed * MAX_MARKER_BYTES;
  let size = deep.length === 0 && bound <= limits.maxEventBytes ? bound : Buffer.byteLength(JSON.stringify(payload));
  let shortened = 0;
  if (input.precut.length > 0) {
    // Redacted first, so the paths carry no secret.
    const paths = input.precut.map((p) => redactText(p).text);
    notePaths(truncated, paths, overflow);
    shortened = input.precut.length;
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
      session_id: input.sessionId,
      hook_event_name: input.eventName,
      ...(typeof payload.cwd === 'string' ? { cwd: input.cwd } : {}),
      [TRUNCATION_MARKER]: `payload of ${size} bytes dropped: still over the ${limits.maxEventBytes}-byte event cap after shortening strings`,
    };
    truncated.length = 0;
    overflow.count = 0;
    truncated.push('$');
    notes.push(
      `payload of ${size} bytes could not be shortened to ${limits.maxEventBytes} bytes; kept the event without its payload`,
    );
  } else if (shortened > 0) {
    notes.push(`${shortened} field(s) shortened to fit ${limits.maxEventBytes} bytes`);
  }
  if (overflow.count > 0) truncated.push(`… and ${overflow.count} more`);
  return payload;
}
