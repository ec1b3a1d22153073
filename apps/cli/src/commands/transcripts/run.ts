import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeError, type SessionBackend } from '@runbook/storage-core';
import { createTranscriptLineRedactor, ingestSettingsFromConfig } from '@runbook/hook-ingest';
import { loadContext, displayPath, type CliContext } from '../../shared/context.js';
import { openStore } from '../../shared/store.js';
import { createProgress } from '../../output/progress.js';
import { archiveSession, type ArchiveSessionResult } from '../../shared/transcripts/archive-session.js';
import { claudeProjectsDir, projectFolderName } from '../../shared/transcripts/claude-home.js';
import { transcriptsInFolder, type TranscriptOnDisk } from '../../shared/transcripts/catch-up.js';
import { stateDir } from '../../shared/transcripts/cursor.js';
import { tryLock } from '../../shared/transcripts/lock.js';
import { clearPending, listPending } from '../../shared/transcripts/pending.js';
import type { ImportOptions } from './command.js';

export interface ImportSummary {
  backend: string;
  /** Project folders read. */
  folders: string[];
  /** Sessions with something new archived. */
  sessions: number;
  lines: number;
  bytes: number;
  /** Sessions with nothing new, or being archived by another process right now. */
  skipped: number;
  /** Files found rewritten or shortened and archived again in full. */
  rewritten: number;
  failed: number;
  errors: string[];
}

function projectFolders(context: CliContext, all: boolean): string[] {
  const projects = claudeProjectsDir(context.env);
  if (!all) return [path.join(projects, projectFolderName(context.projectDir))];
  try {
    return readdirSync(projects)
      .map((name) => path.join(projects, name))
      .filter((dir) => {
        try {
          return statSync(dir).isDirectory();
        } catch {
          return false;
        }
      })
      .sort();
  } catch {
    return [];
  }
}

async function transcriptStore(context: CliContext, durable: boolean): Promise<SessionBackend> {
  const store = await openStore(context, durable ? { durable: true } : {});
  if (!store.appendTranscript) {
    await store.close?.();
    const { RunbookError } = await import('@runbook/storage-core');
    throw new RunbookError(
      'CAPABILITY_MISSING',
      `backend ${context.config.sessionStorage.backend} does not keep transcripts (it has no appendTranscript); choose a backend that does (local, s3)`,
    );
  }
  return store;
}

function tally(summary: ImportSummary, result: ArchiveSessionResult): void {
  if (result.chunks > 0) summary.sessions += 1;
  else summary.skipped += 1;
  summary.lines += result.lines;
  summary.bytes += result.bytes;
  summary.rewritten += result.rewritten.length;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `transcripts import`: archive what is new in every transcript on disk (this project, or all). */
export async function runImport(opts: ImportOptions): Promise<number> {
  const context = await loadContext(opts.projectDir ? { projectDir: opts.projectDir } : {});
  const redact = createTranscriptLineRedactor(ingestSettingsFromConfig(context.config).redact);
  const folders = projectFolders(context, opts.allProjects === true);
  const found: TranscriptOnDisk[] = [];
  for (const folder of folders)
    for (const t of transcriptsInFolder(folder)) if (opts.since === undefined || t.mtimeMs >= opts.since) found.push(t);
  found.sort((a, b) => a.mtimeMs - b.mtimeMs);
  const store = await transcriptStore(context, false);
  const summary: ImportSummary = {
    backend: store.name,
    folders: folders.map((f) => displayPath(context, f)),
    sessions: 0,
    lines: 0,
    bytes: 0,
    skipped: 0,
    rewritten: 0,
    failed: 0,
    errors: [],
  };
  const progress = createProgress({ label: 'archiving transcripts', total: found.length, env: context.env });
  try {
    for (const transcript of found) {
      try {
        const result = await archiveSession({
          localBaseDir: context.localBaseDir,
          sessionId: transcript.sessionId,
          transcriptPath: transcript.path,
          store,
          redact,
          lockWaitMs: 5_000,
        });
        tally(summary, result);
      } catch (error) {
        summary.failed += 1;
        if (summary.errors.length < 5) summary.errors.push(`${transcript.sessionId}: ${describeError(error)}`);
      }
      progress.tick();
    }
  } finally {
    progress.done();
    await store.close?.().catch(() => {});
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const where = folders.length === 1 ? summary.folders[0] : `${folders.length} project folders`;
    process.stdout.write(
      `transcripts: archived ${summary.sessions} sessions (${summary.lines} lines, ${formatBytes(summary.bytes)}) to ${summary.backend}; ${summary.skipped} skipped (nothing new)${summary.rewritten ? `, ${summary.rewritten} rewritten files archived again in full` : ''}${summary.failed ? `, ${summary.failed} failed` : ''} from ${where}\n`,
    );
    for (const error of summary.errors) process.stderr.write(`runbook: transcripts: ${error}\n`);
  }
  return summary.failed > 0 ? 1 : 0;
}

/**
 * `transcripts import --pending`: the background archiver a hook starts for deltas too large to take on
 * itself. One at a time per project; writes through the outbox, so an unreachable backend loses nothing;
 * prints nothing.
 */
export async function runPendingArchive(opts: ImportOptions): Promise<number> {
  const context = await loadContext(opts.projectDir ? { projectDir: opts.projectDir } : {});
  const release = tryLock(path.join(stateDir(context.localBaseDir), 'background.lock'));
  if (!release) return 0;
  let store: SessionBackend | undefined;
  try {
    const redact = createTranscriptLineRedactor(ingestSettingsFromConfig(context.config).redact);
    store = await transcriptStore(context, true);
    for (const pending of listPending(context.localBaseDir)) {
      try {
        const result = await archiveSession({
          localBaseDir: context.localBaseDir,
          sessionId: pending.sessionId,
          transcriptPath: pending.transcriptPath,
          store,
          redact,
          lockWaitMs: 10_000,
        });
        if (result.status === 'archived' || result.status === 'missing')
          clearPending(context.localBaseDir, pending.sessionId);
      } catch {
        // left pending: the next hook or import tries again
      }
    }
  } finally {
    await store?.close?.().catch(() => {});
    release();
  }
  return 0;
}
