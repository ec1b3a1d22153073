import { RunbookError, describeError, type SessionSummary } from '@runbook/storage-core';
import { loadContext } from '../../shared/context.js';
import { formatDuration } from '../../output/duration.js';
import { createProgress } from '../../output/progress.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { renderTable } from '../../output/text.js';
import { formatTimestamp } from '../../output/time.js';
import { openStore } from '../../shared/store.js';
import { activeAt, listSessions, newestFirst } from '../../shared/session-summaries.js';

export interface PruneOptions {
  /** Milliseconds. */
  olderThan: number;
  dryRun?: boolean;
  json?: boolean;
  projectDir?: string;
}

export async function runPrune(opts: PruneOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const store = await openStore(context);
  const cutoff = new Date(Date.now() - opts.olderThan);
  const deleted: SessionSummary[] = [];
  const failed: Array<{ sessionId: string; error: string }> = [];
  let candidates: SessionSummary[] = [];
  try {
    if (!opts.dryRun && !store.delete) {
      throw new RunbookError(
        'CAPABILITY_MISSING',
        `backend ${store.name} cannot delete sessions, so it cannot be pruned here`,
      );
    }
    const listing = createProgress({ label: 'listing sessions' });
    const all = await listSessions(store, () => listing.tick()).finally(() => listing.done());
    const undated = all.filter((s) => activeAt(s) === undefined);
    if (undated.length > 0) warn(`keeping ${undated.length} sessions with no readable time`);
    candidates = all.filter((s) => (activeAt(s) ?? Infinity) < cutoff.getTime()).sort(newestFirst);
    if (!opts.dryRun) {
      const progress = createProgress({ label: 'pruning', total: candidates.length });
      try {
        for (const session of candidates) {
          try {
            await store.delete!(session.sessionId);
            deleted.push(session);
          } catch (error) {
            failed.push({ sessionId: session.sessionId, error: describeError(error) });
          }
          progress.tick();
        }
      } finally {
        progress.done();
      }
    }
  } finally {
    await store.close?.();
  }
  if (failed.length > 0) process.exitCode = 1;
  const events = (list: SessionSummary[]) => list.reduce((n, s) => n + (s.eventCount ?? 0), 0);

  if (opts.json) {
    await writeJson({
      cutoff: cutoff.toISOString(),
      dryRun: opts.dryRun === true,
      sessions: (opts.dryRun ? candidates : deleted).map((s) => ({
        sessionId: s.sessionId,
        lastSeen: s.lastSeen ?? s.firstSeen ?? null,
        eventCount: s.eventCount ?? null,
      })),
      failed,
    });
    return;
  }
  const shown = opts.dryRun ? candidates : deleted;
  let out = '';
  if (shown.length > 0) {
    out += renderTable(
      [{ header: 'SESSION' }, { header: 'LAST SEEN' }, { header: 'EVENTS', right: true }],
      shown.map((s) => [
        s.sessionId,
        formatTimestamp(s.lastSeen ?? s.firstSeen),
        s.eventCount === undefined ? '-' : String(s.eventCount),
      ]),
    );
  }
  const age = formatDuration(opts.olderThan);
  out += opts.dryRun
    ? `Would delete ${candidates.length} sessions (${events(candidates)} events) last active more than ${age} ago (before ${formatTimestamp(cutoff.toISOString())}).\n`
    : `Deleted ${deleted.length} sessions (${events(deleted)} events) last active more than ${age} ago (before ${formatTimestamp(cutoff.toISOString())}).\n`;
  await writeChunk(out);
  for (const f of failed) warn(`could not delete ${f.sessionId}: ${f.error}`);
}
