import { describeError, type HookPayload } from '@runbook/storage-core';
import { TRUNCATION_MARKER } from '../limits.js';
import type { PayloadRedactor } from '../redaction/payload.js';
import { redactText } from '../redaction/text.js';

export interface RedactedPayload {
  payload: HookPayload;
  redactions: Record<string, number>;
  /** Set when part or all of the payload was replaced by a marker (the record's `truncated` gets `$`). */
  note?: string;
}

/**
 * Remove secrets from a parsed payload. Values the redactor did not reach by the deadline are markers;
 * a redactor that throws drops the payload (never stored unredacted) and keeps the event.
 */
export function redactPayload(
  payload: HookPayload,
  identity: { sessionId: string; eventName: string },
  redact: PayloadRedactor,
  timing: { deadline?: number; clock?: () => number },
): RedactedPayload {
  try {
    const redacted = redact(payload, {
      ...(timing.deadline !== undefined ? { deadline: timing.deadline } : {}),
      ...(timing.clock ? { clock: timing.clock } : {}),
    });
    return {
      payload: redacted.payload,
      redactions: redacted.redactions,
      ...(redacted.unreached
        ? {
            note: `redaction ran out of time; ${redacted.unreached} value(s) it had not reached were replaced by a marker`,
          }
        : {}),
    };
  } catch (error) {
    // Never store what could not be redacted: keep the event, not its payload.
    const reason = redactText(describeError(error)).text.slice(0, 200);
    return {
      payload: {
        session_id: identity.sessionId,
        hook_event_name: identity.eventName,
        [TRUNCATION_MARKER]: `payload dropped: redaction failed (${reason})`,
      },
      redactions: {},
      note: `redaction failed (${reason}); kept the event without its payload`,
    };
  }
}
