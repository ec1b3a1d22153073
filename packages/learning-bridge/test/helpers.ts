import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRecord, type HookPayload, type StoredRecord } from '@runbook/storage-core';

export const EXAMPLE_SESSION = fileURLToPath(
  new URL('../../../apps/cli/examples/oncall-session.jsonl', import.meta.url),
);

/** The bundled example's hook payloads, one per line. */
export function examplePayloads(): HookPayload[] {
  return readFileSync(EXAMPLE_SESSION, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HookPayload);
}

/** Stored records for payloads, observed `stepMs` apart from `start`, as the hook would store them. */
export function recordsFor(
  payloads: HookPayload[],
  start = Date.parse('2026-11-25T14:20:00.000Z'),
  stepMs = 15_000,
): StoredRecord[] {
  return payloads.map((payload, i) =>
    createRecord({
      sessionId: String(payload.session_id),
      eventName: String(payload.hook_event_name),
      cwd: typeof payload.cwd === 'string' ? payload.cwd : '',
      transcriptPath: typeof payload.transcript_path === 'string' ? payload.transcript_path : null,
      payload,
      observedAt: new Date(start + i * stepMs),
    }),
  );
}

export async function* stream<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}
