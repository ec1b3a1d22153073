import { describeError, resolveProjectDir } from '@runbook/storage-core';
import { displayPath, loadContext } from '../../shared/context.js';
import { createStyle } from '../../output/style.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { findHookInstallations } from '../../settings/installations.js';
import { openStore } from '../../shared/store.js';
import { describeContextStorage, type StorageDescription } from '../../shared/storage-description.js';
import { readOutboxState, type DrainerState, type OutboxState } from '../../shared/outbox-state.js';
import {
  describeTranscriptState,
  transcriptDiskState,
  type TranscriptDiskState,
} from '../../shared/transcripts/disk-state.js';
import { formatDuration } from '../../output/duration.js';

export interface StatusOptions {
  projectDir?: string;
  json?: boolean;
}

async function countSessions(context: Awaited<ReturnType<typeof loadContext>>): Promise<number | undefined> {
  const store = await openStore(context);
  try {
    if (!store.list) return undefined;
    let count = 0;
    for await (const _ of store.list()) count++;
    return count;
  } finally {
    await store.close?.();
  }
}

function outboxLine(outbox: OutboxState, projectDir: string): string {
  const behind =
    outbox.pending > 0 && outbox.oldestAgeMs !== undefined
      ? `, oldest from ${formatDuration(outbox.oldestAgeMs)} ago (${outbox.oldest})`
      : '';
  const kept = outbox.keptWhileConfigBroken
    ? `; ${outbox.keptWhileConfigBroken} kept while the config could not be read (sync sends them)`
    : '';
  return `${outbox.pending} waiting${behind} (${displayPath({ projectDir }, outbox.dir)})${kept}`;
}

function drainerLine(drainer: DrainerState): string {
  if (!drainer.running)
    return `not running${drainer.sent !== undefined ? ` (the last one sent ${drainer.sent} events)` : ''}`;
  const parts = [`pid ${drainer.pid}`];
  if (drainer.since) parts.push(`since ${drainer.since}`);
  if (drainer.sent !== undefined) parts.push(`${drainer.sent} sent`);
  if (drainer.lastSentAt) parts.push(`last at ${drainer.lastSentAt}`);
  const failing = drainer.lastError
    ? `; failing: ${drainer.lastError}${drainer.retryAt ? `, next try at ${drainer.retryAt}` : ''}`
    : '';
  return `running (${parts.join(', ')})${failing}`;
}

export async function runStatus(opts: StatusOptions): Promise<void> {
  const env = process.env;
  const projectDir = resolveProjectDir({ env, ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const installations = findHookInstallations(projectDir);
  const problems: string[] = [];
  let storage: StorageDescription | undefined;
  let sessions: number | undefined;
  let outbox: OutboxState | undefined;
  let transcripts: TranscriptDiskState | undefined;
  try {
    const context = await loadContext({ env, projectDir });
    storage = await describeContextStorage(context);
    outbox = await readOutboxState(context);
    transcripts = transcriptDiskState(context);
    sessions = await countSessions(context);
  } catch (error) {
    problems.push(describeError(error));
  }
  if (problems.length > 0) process.exitCode = 1;

  if (opts.json) {
    await writeJson({
      projectDir,
      hook: {
        installed: installations.some((i) => i.hooks.length > 0),
        locations: installations
          .filter((i) => i.hooks.length > 0 || i.error)
          .map((i) => ({
            scope: i.scope,
            file: i.file,
            events: i.hooks.map((h) => h.event),
            commands: [...new Set(i.hooks.map((h) => h.command))],
            ...(i.error ? { error: i.error } : {}),
          })),
      },
      storage: storage ?? null,
      sessions: sessions ?? null,
      outbox: outbox ?? null,
      transcripts: transcripts ?? null,
      problems,
    });
    return;
  }

  const style = createStyle(process.stdout);
  const lines: string[] = [];
  const installed = installations.filter((i) => i.hooks.length > 0);
  if (installed.length === 0) {
    lines.push(`Hook:      ${style.yellow('not installed')} (run: runbook integrations claude enable)`);
  } else {
    installed.forEach((i, n) => {
      const commands = [...new Set(i.hooks.map((h) => h.command))].join(' | ');
      lines.push(
        `${n === 0 ? 'Hook:     ' : '          '} ${style.green('installed')} in ${displayPath({ projectDir }, i.file)} (${i.scope}): ${i.hooks.length} events, ${commands}`,
      );
    });
  }
  for (const i of installations) if (i.error) lines.push(`           ${style.red('unreadable')}: ${i.error}`);
  if (storage) {
    lines.push(
      `Backend:   ${storage.backend}, ${storage.location}${storage.mirror ? ` (local mirror ${storage.mirror})` : ''}`,
    );
    lines.push(
      `Sessions:  ${sessions === undefined ? 'unknown (the backend cannot list sessions)' : `${sessions} stored`}`,
    );
    if (transcripts)
      lines.push(
        `Transcripts: ${describeTranscriptState(transcripts)}${transcripts.notArchived > 0 ? ' (run: runbook integrations claude transcripts import)' : ''}`,
      );
    lines.push(`Outbox:    ${outbox ? outboxLine(outbox, projectDir) : 'n/a (local backend: nothing waits)'}`);
    if (outbox) lines.push(`Drainer:   ${drainerLine(outbox.drainer)}`);
  }
  await writeChunk(`${lines.join('\n')}\n`);
  for (const problem of problems) warn(problem);
}
