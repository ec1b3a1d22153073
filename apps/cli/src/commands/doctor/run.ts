import path from 'node:path';
import {
  describeError,
  isRunbookError,
  resolveProjectDir,
  type BackendDefinition,
  type SessionBackend,
} from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { BUILTIN_BACKENDS } from '../../shared/backends.js';
import { displayPath, loadContext, type CliContext } from '../../shared/context.js';
import { formatDuration } from '../../output/duration.js';
import { createStyle } from '../../output/style.js';
import { writeChunk, writeJson } from '../../output/stdout.js';
import { hookCommandProblem } from '../../settings/hook-command.js';
import { findHookInstallations } from '../../settings/installations.js';
import { PROBE_TIMEOUT_MS, probeBackend, withTimeout } from './probe.js';
import { describeBackend } from '../../shared/storage-description.js';
import { openPrimary, primaryDefinition } from '../../shared/store.js';
import { readOutboxState } from '../../shared/outbox-state.js';
import { describeTranscriptState, transcriptDiskState } from '../../shared/transcripts/disk-state.js';

export interface DoctorOptions {
  projectDir?: string;
  json?: boolean;
}

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

function check(name: string, status: CheckStatus, detail: string, fix?: string): Check {
  return { name, status, detail, ...(fix ? { fix } : {}) };
}

function nodeCheck(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? check('node', 'ok', `v${process.versions.node}`)
    : check('node', 'fail', `v${process.versions.node} is too old`, 'install Node.js 20 or newer');
}

/** Paths inside the project, wherever a backend's words mention them, shown relative to it. */
function relativeToProject(context: CliContext, text: string): string {
  return text.split(`${context.projectDir}${path.sep}`).join('');
}

/** A backend's own health check when it has one (with its fix hint), else append, read back and delete a probe session. */
async function probeStorage(
  backend: SessionBackend,
  fallbackFix: string,
): Promise<{ ok: boolean; detail: string; fix?: string; leftBehind?: string }> {
  if (backend.probe) {
    const result = await withTimeout(backend.probe(), PROBE_TIMEOUT_MS, 'checking the backend').catch(
      (error: unknown) => ({ ok: false, detail: describeError(error), fix: fallbackFix }),
    );
    return result.ok ? result : { ...result, fix: result.fix ?? fallbackFix };
  }
  const result = await probeBackend(async () => backend);
  return result.ok ? result : { ...result, fix: fallbackFix };
}

async function storageChecks(context: CliContext): Promise<Check[]> {
  const settings = context.config.sessionStorage;
  const checks: Check[] = [];
  let definition: BackendDefinition<unknown>;
  let backend: SessionBackend;
  try {
    definition = await primaryDefinition(context);
    backend = await openPrimary(context, definition);
  } catch (error) {
    const missing = isRunbookError(error, 'BACKEND_UNKNOWN');
    checks.push(
      check(
        'backend',
        'fail',
        describeError(error),
        missing
          ? 'install the backend package beside the CLI (npm i -g <package>) or in ~/.runbook/backends (npm i --prefix ~/.runbook/backends <package>), or fix sessionStorage.backend'
          : 'fix .runbook/config.yaml',
      ),
    );
    checks.push(check('storage', 'skip', 'backend not available'));
    return checks;
  }
  const builtIn = BUILTIN_BACKENDS.includes(settings.backend) ? ' (built in)' : '';
  checks.push(
    check(
      'backend',
      'ok',
      `${settings.backend}${settings.backend === definition.name ? '' : ` (${definition.name})`}${builtIn}`,
    ),
  );
  try {
    const { location } = describeBackend(context, backend, `package ${settings.backend}`);
    const section = definition.configKey ? `sessionStorage.${definition.configKey}` : 'sessionStorage';
    const found = await probeStorage(
      backend,
      `check ${section} in .runbook/config.yaml and the README of the ${settings.backend} backend`,
    );
    const probe = {
      ...found,
      detail: relativeToProject(context, found.detail),
      ...(found.fix ? { fix: relativeToProject(context, found.fix) } : {}),
    };
    if (!probe.ok) checks.push(check('storage', 'fail', `${location}: ${probe.detail}`, probe.fix));
    else if (probe.leftBehind)
      checks.push(
        check(
          'storage',
          'warn',
          `${location}: ${probe.detail} (the backend cannot delete: probe session ${probe.leftBehind} remains)`,
        ),
      );
    else checks.push(check('storage', 'ok', `${location}: ${probe.detail}`));
  } finally {
    await backend.close?.().catch(() => {});
  }
  if (settings.mirrorLocal && settings.backend !== 'local') {
    const localDir = displayPath(context, context.localBaseDir);
    const mirror = await createLocalBackend({ baseDir: context.localBaseDir }).probe!();
    const detail = relativeToProject(context, mirror.detail);
    checks.push(
      mirror.ok
        ? check('mirror', 'ok', `${localDir}: ${detail}`)
        : check('mirror', 'fail', `${localDir}: ${detail}`, relativeToProject(context, mirror.fix ?? '')),
    );
  }
  return checks;
}

function hookCheck(projectDir: string): Check {
  const installations = findHookInstallations(projectDir);
  const unreadable = installations.find((i) => i.error);
  if (unreadable) return check('hook', 'fail', unreadable.error!, `fix the JSON in ${unreadable.file}`);
  const installed = installations.filter((i) => i.hooks.length > 0);
  if (installed.length === 0)
    return check(
      'hook',
      'fail',
      'not installed in any Claude Code settings file',
      'run: runbook integrations claude enable',
    );
  const commands = [...new Set(installed.flatMap((i) => i.hooks.map((h) => h.command)))];
  for (const command of commands) {
    const problem = hookCommandProblem(command);
    if (problem)
      return check(
        'hook',
        'fail',
        `the hook command cannot start: ${problem}`,
        'run: runbook integrations claude enable (again, to rewrite the command)',
      );
  }
  const where = installed
    .map((i) => `${displayPath({ projectDir }, i.file)} (${i.scope}, ${i.hooks.length} events)`)
    .join(', ');
  if (commands.length > 1) {
    return check(
      'hook',
      'warn',
      `installed with ${commands.length} different commands in ${where}: events are stored more than once`,
      'keep one: runbook integrations claude disable --scope <scope>',
    );
  }
  return check('hook', 'ok', `installed in ${where}`);
}

async function outboxCheck(context: CliContext): Promise<Check> {
  try {
    const state = await readOutboxState(context);
    if (!state) return check('outbox', 'skip', 'n/a (local backend: nothing waits)');
    const drainer = state.drainer.running
      ? `; drainer running (pid ${state.drainer.pid})${state.drainer.lastError ? `, failing: ${state.drainer.lastError}` : ''}`
      : '; no drainer running';
    if (state.pending === 0)
      return check('outbox', 'ok', `nothing waiting in ${displayPath(context, state.dir)}${drainer}`);
    const age = state.oldestAgeMs !== undefined ? `, oldest from ${formatDuration(state.oldestAgeMs)} ago` : '';
    const kept = state.keptWhileConfigBroken
      ? ` (${state.keptWhileConfigBroken} kept while the config could not be read)`
      : '';
    return check(
      'outbox',
      'warn',
      `${state.pending} events waiting in ${displayPath(context, state.dir)}${kept}${age}${drainer}`,
      'send them now: runbook integrations claude sync (the drainer a hook starts also sends them once the backend is reachable)',
    );
  } catch (error) {
    return check('outbox', 'fail', describeError(error), 'fix sessionStorage.outbox in .runbook/config.yaml');
  }
}

/** Transcripts on disk that Claude Code will delete before they are archived. */
function transcriptCheck(context: CliContext): Check {
  try {
    const state = transcriptDiskState(context);
    const detail = describeTranscriptState(state);
    if (state.notArchived === 0) return check('transcripts', 'ok', detail);
    return check('transcripts', 'warn', detail, 'archive them now: runbook integrations claude transcripts import');
  } catch (error) {
    return check('transcripts', 'warn', describeError(error));
  }
}

export async function runDoctor(opts: DoctorOptions): Promise<void> {
  const env = process.env;
  const projectDir = resolveProjectDir({ env, ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const checks: Check[] = [nodeCheck()];
  let context: CliContext | undefined;
  try {
    context = await loadContext({ env, projectDir });
    checks.push(
      check(
        'config',
        'ok',
        `${context.config.file ? displayPath(context, context.config.file) : 'no .runbook/config.yaml, defaults apply'}; backend ${context.config.sessionStorage.backend}`,
      ),
    );
  } catch (error) {
    checks.push(check('config', 'fail', describeError(error), 'fix the named key in .runbook/config.yaml'));
  }
  if (context) checks.push(...(await storageChecks(context)));
  else checks.push(check('storage', 'skip', 'config is invalid'));
  checks.push(hookCheck(projectDir));
  if (context) checks.push(await outboxCheck(context));
  if (context) checks.push(transcriptCheck(context));

  const failed = checks.filter((c) => c.status === 'fail').length;
  if (failed > 0) process.exitCode = 1;
  if (opts.json) {
    await writeJson({ ok: failed === 0, checks });
    return;
  }
  const style = createStyle(process.stdout);
  const label = {
    ok: style.green('ok  '),
    warn: style.yellow('warn'),
    fail: style.red('FAIL'),
    skip: style.dim('skip'),
  };
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map(
    (c) => `${label[c.status]}  ${c.name.padEnd(width)}  ${c.detail}${c.fix ? ` ${style.dim(`(fix: ${c.fix})`)}` : ''}`,
  );
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  await writeChunk(`${lines.join('\n')}\n`);
}
