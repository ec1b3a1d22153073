import { control } from '../../output/terminal.js';
import type { SyncOptions } from './command.js';

interface SyncSummary {
  backend: string;
  outbox: string;
  sent: number;
  alreadyStored: number;
  failed: number;
  quarantined: string[];
  /** Events this sync could not send. */
  remaining: number;
  /** Everything in the outbox afterwards, including events hooks added meanwhile. */
  waiting: number;
  seconds: number;
  errors: string[];
  /** Transcript chunks waiting in the outbox's transcripts folder, sent the same way. */
  transcriptChunks: { sent: number; alreadyStored: number; failed: number; waiting: number };
}

type TranscriptsDrained = Awaited<ReturnType<typeof import('@runbook/storage-core').drainTranscriptSpool>>;

/** Send the transcript chunks waiting in the outbox (when the backend keeps transcripts). */
async function drainTranscripts(
  core: typeof import('@runbook/storage-core'),
  outboxDir: string,
  primary: import('@runbook/storage-core').SessionBackend,
): Promise<TranscriptsDrained | undefined> {
  const spool = core.openTranscriptSpool(outboxDir);
  if (spool.countSync() === 0 || !primary.appendTranscript) return undefined;
  return core.drainTranscriptSpool(spool, primary, { concurrency: 4 });
}

/** Progress on an interactive stderr only: one line rewritten in place, at most ten times a second. */
function progressLine(enabled: boolean): { update(done: number, total: number): void; end(): void } {
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      process.stderr.write(`${control('\r')}sync: ${done}/${total} events`);
    },
    end() {
      if (shown) process.stderr.write(control('\r\x1b[K'));
    },
  };
}

async function openForSync(opts: SyncOptions) {
  const [{ loadContext, displayPath }, { openPrimary }, core] = await Promise.all([
    import('../../shared/context.js'),
    import('../../shared/store.js'),
    import('@runbook/storage-core'),
  ]);
  const context = await loadContext(opts.projectDir ? { projectDir: opts.projectDir } : {});
  const outboxConfig = core.parseOutboxConfig(context.config, context.localBaseDir);
  const outbox = core.openOutbox({ dir: outboxConfig.dir });
  return { context, displayPath, core, outboxConfig, outbox, openPrimary };
}

/** `sync --background`: the drainer a hook starts (see runDrainer). */
export async function runBackgroundSync(opts: SyncOptions): Promise<number> {
  const [{ runDrainer }, { resolveProjectDir }] = await Promise.all([
    import('../../shared/drainer-run.js'),
    import('@runbook/storage-core'),
  ]);
  const projectDir = resolveProjectDir({
    env: process.env,
    ...(opts.projectDir ? { projectDir: opts.projectDir } : {}),
  });
  let outboxDir = opts.outboxDir;
  if (!outboxDir) {
    const { outbox } = await openForSync(opts);
    outboxDir = outbox.dir;
  }
  try {
    return await runDrainer({
      projectDir,
      outboxDir,
      env: process.env,
      ...(opts.lockToken ? { token: opts.lockToken } : {}),
    });
  } catch {
    return 1;
  }
}

/** `sync`: drain the outbox once; exit 0 when nothing is left waiting. */
export async function runSync(opts: SyncOptions): Promise<number> {
  const { context, displayPath, core, outboxConfig, outbox, openPrimary } = await openForSync(opts);
  const where = displayPath(context, outbox.dir);
  const { adoptFallbackEntries } = await import('../../shared/outboxes.js');
  await adoptFallbackEntries(context.projectDir, outbox);
  const waiting = (await outbox.names()).length;
  if (context.config.sessionStorage.backend === 'local' && waiting === 0) {
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ backend: 'local', outbox: where, sent: 0, alreadyStored: 0, failed: 0, quarantined: [], remaining: 0, waiting: 0, seconds: 0, errors: [] })}\n`
        : 'sync: nothing to send (backend is local)\n',
    );
    return 0;
  }
  const concurrency = opts.concurrency === undefined ? outboxConfig.concurrency : Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new core.RunbookError(
      'CONFIG_INVALID',
      `--concurrency must be a whole number from 1 to 256, got ${opts.concurrency}`,
    );
  }
  const primary = await openPrimary(context);
  const progress = progressLine(process.stderr.isTTY === true && !opts.json);
  const started = Date.now();
  let result: Awaited<ReturnType<typeof core.drainOutbox>>;
  let transcripts: TranscriptsDrained | undefined;
  try {
    result = await core.drainOutbox(outbox, primary, {
      concurrency,
      onProgress: (p) => progress.update(p.done, p.total),
    });
    transcripts = await drainTranscripts(core, outbox.dir, primary);
  } finally {
    progress.end();
    await primary.close?.().catch(() => {});
  }
  const summary: SyncSummary = {
    backend: primary.name,
    outbox: where,
    sent: result.stored,
    alreadyStored: result.duplicate,
    failed: result.failed,
    quarantined: result.quarantined.map((file) => displayPath(context, file)),
    remaining: result.unsent + (transcripts?.remaining ?? 0),
    waiting: result.remaining + (transcripts?.remaining ?? 0),
    seconds: Math.round((Date.now() - started) / 10) / 100,
    errors: [...result.failures.map((f) => f.message), ...(transcripts?.failures ?? [])],
    transcriptChunks: {
      sent: transcripts?.stored ?? 0,
      alreadyStored: transcripts?.duplicate ?? 0,
      failed: transcripts?.failed ?? 0,
      waiting: transcripts?.remaining ?? 0,
    },
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const left =
      summary.remaining > 0
        ? `${summary.remaining} not sent, ${summary.waiting} waiting`
        : `${summary.waiting} waiting`;
    process.stdout.write(
      `sync: sent ${summary.sent} to ${summary.backend}, ${summary.alreadyStored} already stored, ${summary.failed} failed; ${left} in ${where} (${summary.seconds}s)\n`,
    );
    for (const file of summary.quarantined)
      process.stderr.write(`runbook: sync: unreadable outbox entry moved to ${file}\n`);
    if (summary.errors[0]) process.stderr.write(`runbook: sync: ${summary.errors[0]}\n`);
  }
  return summary.remaining > 0 ? 1 : 0;
}
