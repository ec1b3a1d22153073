import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sessionIdToSegment } from '@runbook/storage-core';
import { stateDir } from './cursor.js';

/** A session whose transcript has more to archive than a hook may take on: finished by the background archiver. */
export interface PendingArchive {
  sessionId: string;
  transcriptPath: string;
  /** When it was deferred (ms since the epoch). */
  since: number;
}

export function pendingDir(localBaseDir: string): string {
  return path.join(stateDir(localBaseDir), 'pending');
}

export function markPending(localBaseDir: string, entry: Omit<PendingArchive, 'since'>): void {
  const dir = pendingDir(localBaseDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${sessionIdToSegment(entry.sessionId)}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ ...entry, since: Date.now() }), { mode: 0o600 });
  renameSync(temp, file);
}

export function listPending(localBaseDir: string): PendingArchive[] {
  let names: string[];
  try {
    names = readdirSync(pendingDir(localBaseDir));
  } catch {
    return [];
  }
  const out: PendingArchive[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.json')) continue;
    try {
      const entry = JSON.parse(readFileSync(path.join(pendingDir(localBaseDir), name), 'utf8')) as PendingArchive;
      if (typeof entry.sessionId === 'string' && typeof entry.transcriptPath === 'string') out.push(entry);
    } catch {
      // half-written or foreign: ignored
    }
  }
  return out;
}

export function clearPending(localBaseDir: string, sessionId: string): void {
  try {
    unlinkSync(path.join(pendingDir(localBaseDir), `${sessionIdToSegment(sessionId)}.json`));
  } catch {
    // not pending
  }
}
