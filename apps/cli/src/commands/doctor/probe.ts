import { hostname } from 'node:os';
import { collect, createRecord, describeError, type SessionBackend } from '@runbook/storage-core';

/** What a storage probe found. */
export interface ProbeResult {
  ok: boolean;
  detail: string;
  /** The probe session could not be removed (the backend cannot delete). */
  leftBehind?: string;
}

const PROBE_EVENT = 'RunbookDoctorProbe';

/** How long one step of a storage check may take. */
export const PROBE_TIMEOUT_MS = 20_000;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)}s while ${what}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Append a probe record to a fresh session, read it back, then delete the session: a tiny
 * put/get/delete through the backend's own API, so it proves exactly what the hook and the readers need.
 */
export async function probeBackend(
  open: () => Promise<SessionBackend>,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  const sessionId = `runbook-doctor-probe-${hostname().replace(/[^A-Za-z0-9-]/g, '-')}-${process.pid}-${Date.now().toString(36)}`;
  const record = createRecord({
    sessionId,
    eventName: PROBE_EVENT,
    payload: { session_id: sessionId, hook_event_name: PROBE_EVENT, probe: true },
  });
  let backend: SessionBackend | undefined;
  let step = 'opening the backend';
  try {
    backend = await withTimeout(open(), timeoutMs, step);
    step = 'appending a probe event';
    await withTimeout(backend.append(record), timeoutMs, step);
    step = 'reading the probe back';
    const back = await withTimeout(collect(backend.read(sessionId)), timeoutMs, step);
    if (!back.some((r) => r.eventId === record.eventId))
      return { ok: false, detail: 'the probe event was accepted but does not read back' };
    if (backend.delete) {
      step = 'deleting the probe session';
      await withTimeout(backend.delete(sessionId), timeoutMs, step);
      return { ok: true, detail: 'append, read back and delete work' };
    }
    return { ok: true, detail: 'append and read back work', leftBehind: sessionId };
  } catch (error) {
    return { ok: false, detail: `${step} failed: ${describeError(error)}` };
  } finally {
    await backend?.close?.().catch(() => {});
  }
}
