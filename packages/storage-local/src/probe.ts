import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeError, type ProbeResult } from '@runbook/storage-core';

/** Create the sessions folder if needed and write and remove one small file in it: nothing is left behind. */
export function probeLocal(baseDir: string, sessionsDir: string, dirMode: number): ProbeResult {
  const file = path.join(sessionsDir, `.probe-${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(sessionsDir, { recursive: true, mode: dirMode });
    writeFileSync(file, '{"probe":true}\n', { mode: 0o600 });
    rmSync(file, { force: true });
    return { ok: true, detail: 'writable (a probe file was written and removed)' };
  } catch (error) {
    return {
      ok: false,
      detail: describeError(error),
      fix: `make ${baseDir} writable by this user, or set sessionStorage.localBaseDir`,
    };
  }
}
