import { RunbookError, describeError, type SessionBackend, type SessionSummary } from '@runbook/storage-core';
import { loadContext } from '../../shared/context.js';
import { formatDuration } from '../../output/duration.js';
import { createProgress } from '../../output/progress.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { renderTable } from '../../output/text.js';
import { formatTimestamp } from '../../output/time.js';
import { openPrimary } from '../../shared/store.js';
import type { CompactCommandOptions } from './command.js';
import { activeAt, listSessions, mapLimit, sessionNotFound } from '../../shared/session-summaries.js';

type Compaction = Awaited<ReturnType<NonNullable<SessionBackend['compact']>>>;

interface SessionCompaction extends Compaction {
  sessionId: string;
}

/** Sessions compacted at once with --all / --older-than (each one already fetches many objects at once). */
const SESSION_CONCURRENCY = 4;

function summaryOf(sessionId: string, result: Compaction): SessionCompaction {
  return { sessionId, segments: result.segments, events: result.events, skipped: result.skipped };
}

function total(list: SessionCompaction[], field: keyof Compaction): number {
  return list.reduce((n, s) => n + s[field], 0);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The backend's compaction, or a one-line CAPABILITY_MISSING naming the backend. */
function compactionOf(backend: SessionBackend): NonNullable<SessionBackend['compact']> {
  if (typeof backend.compact !== 'function') {
    throw new RunbookError(
      'CAPABILITY_MISSING',
      `backend ${backend.name} cannot compact sessions (it stores each session in one place already); nothing to do`,
    );
  }
  return backend.compact.bind(backend);
}

/** Whether a session has any stored event (read as far as its first one). */
async function exists(backend: SessionBackend, sessionId: string): Promise<boolean> {
  for await (const _record of backend.read(sessionId)) return true;
  return false;
}

/** The sessions --all / --older-than select, oldest activity first. */
async function selectSessions(backend: SessionBackend, cutoff: Date | undefined): Promise<SessionSummary[]> {
  const listing = createProgress({ label: 'listing sessions' });
  let all: SessionSummary[];
  if (cutoff === undefined) {
    if (!backend.list) throw new RunbookError('CAPABILITY_MISSING', `backend ${backend.name} cannot list sessions`);
    all = [];
    for await (const summary of backend.list()) {
      all.push(summary);
      listing.tick();
    }
    listing.done();
    return all;
  }
  all = await listSessions(backend, () => listing.tick()).finally(() => listing.done());
  const undated = all.filter((s) => activeAt(s) === undefined);
  if (undated.length > 0) warn(`leaving ${plural(undated.length, 'session', 'sessions')} with no readable time alone`);
  return all.filter((s) => (activeAt(s) ?? Infinity) < cutoff.getTime()).sort((a, b) => activeAt(a)! - activeAt(b)!);
}

/** `compact`: merge one session's, or many sessions', stored events into segment objects. */
export async function runCompact(sessionId: string | undefined, opts: CompactCommandOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  // Compaction is the primary's business: the local mirror keeps one file per session already.
  const backend = await openPrimary(context);
  const cutoff = opts.olderThan === undefined ? undefined : new Date(Date.now() - opts.olderThan);
  const done: SessionCompaction[] = [];
  const failed: Array<{ sessionId: string; error: string }> = [];
  let considered = 0;
  try {
    const compact = compactionOf(backend);
    if (sessionId !== undefined) {
      const result = await compact(sessionId);
      if (result.events === 0 && result.skipped === 0 && !(await exists(backend, sessionId)))
        throw sessionNotFound(sessionId, backend.name);
      done.push(summaryOf(sessionId, result));
      considered = 1;
    } else {
      const sessions = await selectSessions(backend, cutoff);
      considered = sessions.length;
      const progress = createProgress({ label: 'compacting', total: sessions.length });
      try {
        type Outcome = { ok: SessionCompaction } | { failed: { sessionId: string; error: string } };
        const outcomes = await mapLimit(sessions, SESSION_CONCURRENCY, async ({ sessionId: id }): Promise<Outcome> => {
          try {
            return { ok: summaryOf(id, await compact(id)) };
          } catch (error) {
            return { failed: { sessionId: id, error: describeError(error) } };
          } finally {
            progress.tick();
          }
        });
        for (const outcome of outcomes) {
          if ('ok' in outcome) done.push(outcome.ok);
          else failed.push(outcome.failed);
        }
      } finally {
        progress.done();
      }
    }
  } finally {
    await backend.close?.();
  }
  if (failed.length > 0) process.exitCode = 1;
  const merged = done.filter((s) => s.events > 0);

  if (opts.json) {
    await writeJson({
      backend: backend.name,
      cutoff: cutoff?.toISOString() ?? null,
      sessions: done,
      totals: {
        sessions: merged.length,
        events: total(done, 'events'),
        segments: total(done, 'segments'),
        skipped: total(done, 'skipped'),
      },
      failed,
    });
  } else {
    let out = '';
    const summary = `merged ${plural(total(done, 'events'), 'event', 'events')} into ${plural(total(done, 'segments'), 'segment', 'segments')}`;
    if (sessionId !== undefined) {
      out += merged.length > 0 ? `Compacted ${sessionId}: ${summary}.\n` : `Nothing to compact in ${sessionId}.\n`;
    } else {
      if (merged.length > 0) {
        out += renderTable(
          [{ header: 'SESSION' }, { header: 'EVENTS', right: true }, { header: 'SEGMENTS', right: true }],
          merged.map((s) => [s.sessionId, String(s.events), String(s.segments)]),
        );
      }
      const scope = cutoff
        ? ` last active more than ${formatDuration(opts.olderThan!)} ago (before ${formatTimestamp(cutoff.toISOString())})`
        : '';
      out += `Compacted ${merged.length} of ${plural(considered, 'session', 'sessions')}${scope}: ${summary}.\n`;
    }
    await writeChunk(out);
  }
  for (const s of done.filter((d) => d.skipped > 0))
    warn(
      `${s.sessionId}: left ${plural(s.skipped, 'stored object', 'stored objects')} that hold no valid record in place`,
    );
  for (const f of failed) warn(`could not compact ${f.sessionId}: ${f.error}`);
}
