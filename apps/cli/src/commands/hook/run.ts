import { DEFAULT_LOCAL_BASE_DIR, describeError, resolveLocalBaseDir, resolveProjectDir } from '@runbook/storage-core';
import { DEFAULT_LIMITS, ingestHookEvent, ingestSettingsFromConfig, type IngestSettings } from '@runbook/hook-ingest';
import type { SessionBackend, StoredRecord } from '@runbook/storage-core';
import { loadContext, type CliContext } from '../../shared/context.js';
import { RECALL_EVENTS, recallIndexDir, recallOutput } from './recall.js';
import { openFallbackSink, openHookSink, type EventSink } from './sink.js';
import { forTerminal } from '../../output/terminal.js';
import { HOOK_HELP, parseHookArgs, readStdin, readStdinFd, stdinIsTerminal } from './io.js';

export interface HookIo {
  /** Where the event comes from; standard input (file descriptor 0) when absent. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  /** Where recall's context goes (only with recall enabled, only for SessionStart and UserPromptSubmit). */
  stdout?: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Processor time (milliseconds, this process's own) by which redaction must be done. Claude Code's hook
 * timeout (10 s as `enable` writes it) must never be reached: what redaction has not reached by then is
 * stored as a marker, so on any input up to the size cap the whole hook stays within about 2 s. Processor
 * time rather than the wall clock, so a machine busy with other work (many hooks at once) does not cut
 * ordinary events short.
 */
export const HOOK_REDACTION_BUDGET_MS = 1000;

function processorMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** Events after which the hook looks at the session's transcript (the archiver is loaded only for these). */
const TRANSCRIPT_EVENTS: ReadonlySet<string> = new Set([
  'Stop',
  'SubagentStop',
  'PreCompact',
  'SessionEnd',
  'SessionStart',
]);

/** The working directory; when it was deleted under the process, the project Claude Code names (else the root). */
function workingDirectory(env: NodeJS.ProcessEnv): string {
  try {
    return process.cwd();
  } catch {
    return env.CLAUDE_PROJECT_DIR || env.PWD || '/';
  }
}

// \`process.stderr\` is read only when something is said: creating it loads Node's stream modules (a few ms per hook).
const defaultIo = (): HookIo => ({
  get stderr() {
    return process.stderr;
  },
  env: process.env,
  cwd: workingDirectory(process.env),
});

/**
 * `runbook integrations claude hook`: one event from stdin into storage. Always resolves to exit code 0;
 * says what went wrong in one `runbook:` line on stderr; writes to stdout only the context recall adds
 * (opt-in `integrations.claude.recall.enabled`, `SessionStart` and `UserPromptSubmit` only).
 */
export async function runHook(args: string[], io: HookIo = defaultIo()): Promise<number> {
  // Claude Code shows hook stderr to the user: content quoted in a message must not reach a terminal as control sequences.
  const say = (line: string) => io.stderr.write(`runbook: ${forTerminal(line, { oneLine: true })}\n`);
  const options = parseHookArgs(args);
  if (options.help) {
    io.stderr.write(HOOK_HELP);
    return 0;
  }
  if (options.unknown) say(`hook: ignoring unknown argument ${options.unknown}`);
  if (io.stdin ? io.stdin.isTTY : stdinIsTerminal()) {
    say('hook: expects one Claude Code hook event as JSON on stdin (see --help); nothing stored');
    return 0;
  }

  let store: EventSink;
  let projectDir: string | undefined;
  let recallDir: string | undefined;
  let context: CliContext | undefined;
  let localBaseDir: string | undefined;
  // Redaction is on even when the config cannot be read: the defaults apply until it is fixed.
  let settings: Partial<IngestSettings> = {};
  try {
    context = await loadContext({
      env: io.env,
      cwd: io.cwd,
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
    });
    projectDir = context.projectDir;
    recallDir = recallIndexDir(context);
    localBaseDir = context.localBaseDir;
    try {
      settings = ingestSettingsFromConfig(context.config);
    } catch (error) {
      say(`${describeError(error)}; using the built-in redaction and default limits`);
    }
    store = await openHookSink(context);
  } catch (error) {
    // A broken config must not lose the event: keep it in the default local directory and say so.
    projectDir ??= resolveProjectDir({
      env: io.env,
      cwd: io.cwd,
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
    });
    const fallback = resolveLocalBaseDir(projectDir, DEFAULT_LOCAL_BASE_DIR);
    say(`${describeError(error)}; keeping the event in ${fallback}`);
    store = openFallbackSink(projectDir, fallback);
    localBaseDir = fallback;
  }

  try {
    const maxInputBytes = settings.limits?.maxInputBytes ?? DEFAULT_LIMITS.maxInputBytes;
    const { data, totalBytes } = io.stdin
      ? await readStdin(io.stdin, maxInputBytes + 1)
      : await readStdinFd(maxInputBytes + 1);
    const result = await ingestHookEvent(data, store, {
      ...settings,
      fallbackCwd: io.cwd,
      inputBytes: totalBytes,
      deadline: HOOK_REDACTION_BUDGET_MS,
      clock: processorMs,
    });
    if (result.status === 'rejected') say(`hook: ${result.message}; nothing stored`);
    else if (result.status === 'failed')
      say(`hook: could not store ${result.record.eventName} of session ${result.record.sessionId}: ${result.message}`);
    else for (const note of result.notes) say(`hook: ${note}`);
    if (recallDir !== undefined && result.status !== 'rejected' && RECALL_EVENTS.has(result.record.eventName)) {
      const output = recallOutput(result.record, recallDir);
      if (output !== undefined) (io.stdout ?? process.stdout).write(output);
    }
    // A backend, or the outbox of a remote primary (the drainer sends the chunks on).
    const backend = hasTranscripts(store) ? store : undefined;
    if (
      backend &&
      result.status !== 'rejected' &&
      TRANSCRIPT_EVENTS.has(result.record.eventName) &&
      result.record.transcriptPath &&
      localBaseDir
    ) {
      await archiveTranscript(result.record, backend, localBaseDir, settings, context, say);
    }
  } catch (error) {
    say(`hook: ${describeError(error)}`);
  } finally {
    await store.close?.().catch(() => {});
  }
  return 0;
}

function hasTranscripts(sink: EventSink): sink is EventSink & Required<Pick<SessionBackend, 'appendTranscript'>> {
  return typeof (sink as Partial<SessionBackend>).appendTranscript === 'function';
}

/** Archive what is new in the session's transcript (loaded only on the events that need it). Never throws. */
async function archiveTranscript(
  record: StoredRecord,
  store: Pick<SessionBackend, 'appendTranscript'>,
  localBaseDir: string,
  settings: Partial<IngestSettings>,
  context: CliContext | undefined,
  say: (line: string) => void,
): Promise<void> {
  try {
    const { archiveOnHookEvent } = await import('../../shared/transcripts/hook-archive.js');
    await archiveOnHookEvent({
      eventName: record.eventName,
      sessionId: record.sessionId,
      transcriptPath: record.transcriptPath!,
      localBaseDir,
      store,
      redact: settings.redact,
      say,
      startBackground: async () => {
        if (!context) return;
        const { startBackgroundArchive } = await import('../../shared/transcripts/background.js');
        startBackgroundArchive(context);
      },
    });
  } catch (error) {
    say(`hook: transcript not archived: ${describeError(error)}`);
  }
}
