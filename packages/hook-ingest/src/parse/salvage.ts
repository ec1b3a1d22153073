import { createRecord } from '@runbook/storage-core';
import { TRUNCATION_MARKER } from '../limits.js';
import type { ParseResult } from './result.js';

const decoder = new TextDecoder('utf-8', { fatal: false });
/** How much of an over-cap input is read for its identity fields. */
const SALVAGE_BYTES = 64 * 1024;

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
 * An input over the input cap: keep the event without its payload when its identity fields can be read
 * from its start (they come first in every hook event), reject it otherwise.
 */
export function salvageOversized(
  input: Uint8Array | string,
  byteLength: number,
  maxInputBytes: number,
  context: { fallbackCwd?: string; now?: Date },
): ParseResult {
  // Only the start is read: the identity fields come first in every hook event.
  const head =
    typeof input === 'string' ? input.slice(0, SALVAGE_BYTES) : decoder.decode(input.subarray(0, SALVAGE_BYTES));
  const identity = salvageIdentity(head);
  if (!identity) {
    return {
      ok: false,
      reason: 'too-large',
      message: `hook event of ${byteLength} bytes exceeds the ${maxInputBytes}-byte input cap and has no readable session_id/hook_event_name`,
    };
  }
  const record = createRecord({
    ...identity,
    cwd: context.fallbackCwd ?? '',
    payload: {
      session_id: identity.sessionId,
      hook_event_name: identity.eventName,
      [TRUNCATION_MARKER]: `payload of ${byteLength} bytes dropped: over the ${maxInputBytes}-byte input cap`,
    },
    truncated: ['$'],
    ...(context.now ? { observedAt: context.now } : {}),
  });
  return {
    ok: true,
    record,
    notes: [`payload of ${byteLength} bytes exceeded the input cap; kept the event without its payload`],
  };
}
