import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  encodeSegment,
  segmentDay,
  sessionIdToSegment,
  type SessionBackend,
  type StoredRecord,
} from '@runbook/storage-core';

const MANIFEST = '.export.json';

interface ExportedSession {
  count: number;
  last: string | undefined;
  /** Files written for the session, relative to the segments directory. */
  files: string[];
}

interface Manifest {
  version: 1;
  sessions: Record<string, ExportedSession>;
}

export interface ExportResult {
  /** Sessions whose segments were (re)written. */
  written: number;
  /** Sessions unchanged since the last export. */
  unchanged: number;
  /** Sessions gone from the store whose segments were removed. */
  removed: number;
}

function readManifest(dir: string): Manifest {
  try {
    const value = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    if (value.version === 1 && typeof value.sessions === 'object' && value.sessions !== null)
      return { version: 1, sessions: Object.assign(Object.create(null), value.sessions) };
  } catch {
    // Missing or unreadable: a full export rebuilds it.
  }
  return { version: 1, sessions: Object.create(null) as Record<string, ExportedSession> };
}

function writeAtomically(file: string, body: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, body, { mode: 0o600 });
  renameSync(tmp, file);
}

/** A session's records grouped by UTC day; records whose time is not a time are left out (engines partition by day). */
function byDay(records: StoredRecord[]): Map<string, StoredRecord[]> {
  const days = new Map<string, StoredRecord[]>();
  for (const record of records) {
    const day = segmentDay(record.observedAt);
    if (day === undefined) continue;
    let list = days.get(day);
    if (!list) days.set(day, (list = []));
    list.push(record);
  }
  return days;
}

/**
 * Write the sessions of `store` as date-partitioned segments under `dir`
 * (`dt=<yyyy-mm-dd>/<session>.ndjson.gz`, the layout and columns compaction writes to a bucket), so the
 * same SQL and table definitions work on a laptop. Incremental: a session whose event count and last
 * event are unchanged since the last export is not read again; a session gone from the store loses its files.
 */
export async function exportSegments(store: SessionBackend, dir: string): Promise<ExportResult> {
  if (!store.list) return { written: 0, unchanged: 0, removed: 0 };
  const manifest = readManifest(dir);
  const result: ExportResult = { written: 0, unchanged: 0, removed: 0 };
  const present = new Set<string>();
  for await (const summary of store.list()) {
    present.add(summary.sessionId);
    const known = manifest.sessions[summary.sessionId];
    if (
      known &&
      summary.eventCount !== undefined &&
      known.count === summary.eventCount &&
      known.last === summary.lastSeen
    ) {
      result.unchanged += 1;
      continue;
    }
    const records: StoredRecord[] = [];
    for await (const record of store.read(summary.sessionId)) records.push(record);
    const files: string[] = [];
    const name = `${sessionIdToSegment(summary.sessionId)}.ndjson.gz`;
    for (const [day, dayRecords] of byDay(records)) {
      const relative = path.join(`dt=${day}`, name);
      writeAtomically(path.join(dir, relative), encodeSegment(dayRecords));
      files.push(relative);
    }
    for (const stale of known?.files ?? []) if (!files.includes(stale)) rmSync(path.join(dir, stale), { force: true });
    manifest.sessions[summary.sessionId] = {
      count: summary.eventCount ?? records.length,
      last: summary.lastSeen,
      files,
    };
    result.written += 1;
  }
  for (const [sessionId, known] of Object.entries(manifest.sessions)) {
    if (present.has(sessionId)) continue;
    for (const file of known.files) rmSync(path.join(dir, file), { force: true });
    delete manifest.sessions[sessionId];
    result.removed += 1;
  }
  if (result.written > 0 || result.removed > 0) writeAtomically(path.join(dir, MANIFEST), JSON.stringify(manifest));
  return result;
}
