import { serializeRecord, type ReadIssue } from '@runbook/storage-core';
import { loadContext } from '../../shared/context.js';
import { createProgress } from '../../output/progress.js';
import { OutputClosedError, warn, watchStdout, writeChunk } from '../../output/stdout.js';
import { openStore } from '../../shared/store.js';
import { sessionNotFound } from '../../shared/session-summaries.js';

export interface SessionsExportOptions {
  format: 'ndjson' | 'json';
  projectDir?: string;
  /** Write records as stored, without the hook's redaction (for the owner of the data). */
  raw?: boolean;
}

/** Batch records into chunks of about this many bytes before writing (fewer syscalls, bounded memory). */
const CHUNK_BYTES = 256 * 1024;

export async function runSessionsExport(sessionId: string, opts: SessionsExportOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const { outputRedaction } = await import('../../shared/output-redaction.js');
  const redaction = outputRedaction(context, opts.raw === true);
  const store = await openStore(context);
  const issues: ReadIssue[] = [];
  const progress = createProgress({ label: `exporting ${sessionId}`, delayMs: 500 });
  const json = opts.format === 'json';
  watchStdout();
  let count = 0;
  let pending = '';
  try {
    for await (const stored of store.read(sessionId, { onIssue: (issue) => issues.push(issue) })) {
      const record = opts.raw ? stored : { ...stored, payload: redaction.payload(stored.payload) };
      if (json) pending += count === 0 ? `[\n${JSON.stringify(record)}` : `,\n${JSON.stringify(record)}`;
      else pending += serializeRecord(record);
      count++;
      progress.tick();
      if (pending.length >= CHUNK_BYTES) {
        await writeChunk(pending);
        pending = '';
      }
    }
    if (count > 0) await writeChunk(json ? `${pending}\n]\n` : pending);
  } catch (error) {
    if (error instanceof OutputClosedError) return;
    throw error;
  } finally {
    progress.done();
    await store.close?.();
  }
  for (const issue of issues.filter((i) => i.kind !== 'duplicate'))
    warn(`skipped ${issue.kind} at ${issue.location}: ${issue.detail}`);
  if (count === 0) throw sessionNotFound(sessionId, context.config.sessionStorage.backend);
}
