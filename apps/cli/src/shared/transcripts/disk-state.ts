import path from 'node:path';
import type { CliContext } from '../context.js';
import { cleanupPeriodDays, claudeProjectsDir, projectFolderName } from './claude-home.js';
import { transcriptsInFolder } from './catch-up.js';
import { listPending } from './pending.js';
import { unarchivedBytes } from './session-files.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** This project's Claude Code transcripts on disk, as far as the archive has them. */
export interface TranscriptDiskState {
  /** Claude Code's transcript folder of this project. */
  folder: string;
  /** Main transcripts in it. */
  onDisk: number;
  /** Of those, how many have lines not archived yet (never archived, grown since, or rewritten). */
  notArchived: number;
  /** Bytes not archived yet, over all of them. */
  bytesBehind: number;
  /** Sessions a hook handed to the background archiver that it has not finished. */
  deferred: number;
  /** Claude Code's `cleanupPeriodDays` (its settings, else 30). */
  cleanupPeriodDays: number;
  /** The least recently written transcript with lines not archived, and the days left before Claude Code deletes it. */
  oldestNotArchived?: { sessionId: string; daysLeft: number };
  /** The least recently written transcript of all, and the days left before Claude Code deletes it. */
  oldest?: { sessionId: string; daysLeft: number };
}

export function transcriptDiskState(context: CliContext, now = Date.now()): TranscriptDiskState {
  const folder = path.join(claudeProjectsDir(context.env), projectFolderName(context.projectDir));
  const days = cleanupPeriodDays(context.env);
  const transcripts = transcriptsInFolder(folder);
  const daysLeft = (mtimeMs: number) => Math.max(0, Math.floor((mtimeMs + days * DAY_MS - now) / DAY_MS));
  const state: TranscriptDiskState = {
    folder,
    onDisk: transcripts.length,
    notArchived: 0,
    bytesBehind: 0,
    deferred: listPending(context.localBaseDir).length,
    cleanupPeriodDays: days,
  };
  for (const t of transcripts) {
    const behind = unarchivedBytes(context.localBaseDir, t.sessionId, t.path);
    if (behind === 0) continue;
    state.notArchived += 1;
    state.bytesBehind += behind;
  }
  // transcriptsInFolder is newest first.
  const oldest = transcripts.at(-1);
  if (oldest) state.oldest = { sessionId: oldest.sessionId, daysLeft: daysLeft(oldest.mtimeMs) };
  for (let i = transcripts.length - 1; i >= 0; i--) {
    const t = transcripts[i]!;
    if (unarchivedBytes(context.localBaseDir, t.sessionId, t.path) > 0) {
      state.oldestNotArchived = { sessionId: t.sessionId, daysLeft: daysLeft(t.mtimeMs) };
      break;
    }
  }
  return state;
}

/** One line for people: what is on disk, what is not archived, and when Claude Code deletes the oldest. */
export function describeTranscriptState(state: TranscriptDiskState): string {
  if (state.onDisk === 0) return `none on disk in ${state.folder}`;
  const deletes = (d: number) => (d === 0 ? 'today' : `in ${d} day${d === 1 ? '' : 's'}`);
  const archived = state.notArchived === 0 ? 'all archived' : `${state.notArchived} not archived yet`;
  const oldest = state.oldestNotArchived ?? state.oldest!;
  const which = state.oldestNotArchived ? 'the oldest not archived' : 'the oldest';
  return `${state.onDisk} on disk, ${archived}; Claude Code deletes ${which} ${deletes(oldest.daysLeft)} (cleanupPeriodDays ${state.cleanupPeriodDays})`;
}
