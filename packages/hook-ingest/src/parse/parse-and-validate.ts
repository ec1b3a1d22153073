import { describeError, type HookPayload } from '@runbook/storage-core';
import { pruneDeepJson, type IngestLimits } from '../limits.js';
import { redactText } from '../redaction/text.js';
import { keepTopLevelFields } from '../top-level.js';
import type { Rejection } from './result.js';

/** Longest `session_id` accepted (Claude Code sends a UUID). */
export const MAX_SESSION_ID_LENGTH = 1024;
/** Longest `hook_event_name` accepted (Claude Code sends names like `PostToolUse`). */
export const MAX_EVENT_NAME_LENGTH = 256;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** A hook event that parsed into an object with both identity fields. */
export interface ValidEvent {
  /** The text parsed (nesting past `maxDepth` already cut, perhaps reduced to its small top-level fields). */
  text: string;
  payload: HookPayload;
  sessionId: string;
  eventName: string;
  /** Values nested deeper than `maxDepth` cut from the text before parsing. */
  cutBeforeParse: number;
  /** Set when only the small top-level fields were kept. */
  reducedNote?: string;
}

function requiredString(payload: HookPayload, field: string): string | undefined {
  const value = payload[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Parse hook stdin (nesting past `maxDepth` cut before parsing; a payload too big to ever fit reduced to
 * its small top-level fields) and check it is an object with a `session_id` and a `hook_event_name`.
 */
export function parseAndValidate(
  input: Uint8Array | string,
  limits: IngestLimits,
): { ok: true; event: ValidEvent } | Rejection {
  let text = typeof input === 'string' ? input : decoder.decode(input);
  if (text.trim() === '') return { ok: false, reason: 'empty', message: 'no hook event on stdin (empty input)' };
  const pruned = pruneDeepJson(text, limits.maxDepth);
  text = pruned.text;
  let reducedNote: string | undefined;
  if (pruned.leastBytes > limits.maxEventBytes) {
    // Too much structure to ever fit: parse only the small top-level fields.
    // Nesting cut from the text moved the fields: find them again in the (now shallow) text.
    const fields = pruned.cut > 0 ? pruneDeepJson(text, limits.maxDepth).fields : pruned.fields;
    const reduced = keepTopLevelFields(text, fields, limits.maxEventBytes);
    if (reduced) {
      text = reduced.text;
      reducedNote = `payload cannot be shortened below about ${pruned.leastBytes} bytes, over the ${limits.maxEventBytes}-byte event cap; kept its small top-level fields, dropped ${reduced.dropped.length} large one(s)`;
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
  const payload = value as HookPayload;
  const sessionId = requiredString(payload, 'session_id');
  if (!sessionId)
    return {
      ok: false,
      reason: 'missing-field',
      message: 'hook event has no session_id (a non-empty string is required)',
    };
  const eventName = requiredString(payload, 'hook_event_name');
  if (!eventName)
    return {
      ok: false,
      reason: 'missing-field',
      message: 'hook event has no hook_event_name (a non-empty string is required)',
    };
  if (sessionId.length > MAX_SESSION_ID_LENGTH) {
    return {
      ok: false,
      reason: 'invalid-field',
      message: `hook event session_id is ${sessionId.length} characters long (at most ${MAX_SESSION_ID_LENGTH})`,
    };
  }
  if (eventName.length > MAX_EVENT_NAME_LENGTH) {
    return {
      ok: false,
      reason: 'invalid-field',
      message: `hook event hook_event_name is ${eventName.length} characters long (at most ${MAX_EVENT_NAME_LENGTH})`,
    };
  }
  return {
    ok: true,
    event: { text, payload, sessionId, eventName, cutBeforeParse: pruned.cut, ...(reducedNote ? { reducedNote } : {}) },
  };
}
