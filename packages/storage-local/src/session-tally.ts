import { createReadStream } from 'node:fs';
import { parseNdjsonRecords, type SessionSummary } from '@runbook/storage-core';
import { sessionSegments } from './legacy-folder.js';

/** One session's summary as listing builds it from its folders. */
interface Tally {
  summary: SessionSummary & { eventCount: number };
  seen: Set<string>;
}

/**
 * Summaries of every session in a set of folders, counted exactly as `read` returns them: corrupt lines
 * are not events, a record repeated (by event id) is one event, a record glued onto a torn line counts,
 * and a record is counted only under a session whose folders include the one it sits in (a foreign line
 * that `read` would never return is not an event of anyone).
 */
export class SessionTally {
  private readonly sessions = new Map<string, Tally>();

  /** Add the records of one folder's events file. */
  async addFolder(segment: string, file: string): Promise<void> {
    const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
    for await (const record of parseNdjsonRecords(stream, { sessionId: segment, location: file })) {
      let tally = this.sessions.get(record.sessionId);
      if (!tally) {
        if (!belongsIn(record.sessionId, segment)) continue;
        tally = { summary: { sessionId: record.sessionId, eventCount: 0 }, seen: new Set() };
        this.sessions.set(record.sessionId, tally);
      } else if (!belongsIn(record.sessionId, segment)) {
        continue;
      }
      if (tally.seen.has(record.eventId)) continue;
      tally.seen.add(record.eventId);
      tally.summary.eventCount++;
      const { firstSeen, lastSeen } = tally.summary;
      if (firstSeen === undefined || record.observedAt < firstSeen) tally.summary.firstSeen = record.observedAt;
      if (lastSeen === undefined || record.observedAt > lastSeen) tally.summary.lastSeen = record.observedAt;
    }
  }

  /** Sessions seen so far, in id order. */
  summaries(): SessionSummary[] {
    return [...this.sessions.values()].map((t) => t.summary).sort(bySessionId);
  }
}

export function bySessionId(a: SessionSummary, b: SessionSummary): number {
  return a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0;
}

function belongsIn(sessionId: string, segment: string): boolean {
  try {
    return sessionSegments(sessionId).includes(segment);
  } catch {
    return false;
  }
}
