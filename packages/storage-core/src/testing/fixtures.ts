import type { SessionBackend } from '../backend/contract.js';
import { collect } from '../backend/contract.js';
import { createRecord, type StoredRecord } from '../record/record.js';

let counter = 0;

/** A session id no other test (or earlier run against the same store) uses. */
export function uniqueSession(label: string): string {
  counter += 1;
  return `conf-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** A record shaped like a real hook event of `eventName`. */
export function record(
  sessionId: string,
  eventName: string,
  payload: Record<string, unknown> = {},
  at?: Date,
): StoredRecord {
  return createRecord({
    sessionId,
    eventName,
    cwd: '/work/project',
    transcriptPath: '/home/dev/.claude/projects/p/t.jsonl',
    payload: { session_id: sessionId, hook_event_name: eventName, ...payload },
    observedAt: at,
  });
}

export async function readAll(backend: SessionBackend, sessionId: string): Promise<StoredRecord[]> {
  return collect(backend.read(sessionId));
}
