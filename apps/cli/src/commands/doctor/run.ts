import { describeError, isRunbookError, parseBackendConfig, resolveProjectDir, type BackendDefinition } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { loadBackendDefinition } from '../../shared/backends.js';
import { displayPath, loadContext, type CliContext } from '../../shared/context.js';
import { formatDuration } from '../../output/duration.js';
import { createStyle } from '../../output/style.js';
import { writeChunk, writeJson } from '../../output/stdout.js';
import { hookCommandProblem } from '../../settings/hook-command.js';
import { findHookInstallations } from '../../settings/installations.js';
import { probeBackend } from './probe.js';
import { describeContextStorage, type StorageDescription } from '../../shared/storage-description.js';
import { readOutboxState } from '../../shared/outbox-state.js';

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
  return major >= 20 ? check('node', 'ok', `v${process.versions.node}`) : check('node', 'fail', `v${process.versions.node} is too old`, 'install Node.js 20 or newer');
}

function storageFix(context: CliContext, backend: string): string {
  if (backend === 'local') return `make ${displayPath(context, context.localBaseDir)} writable by this user, or set sessionStorage.localBaseDir`;
  if (backend === 's3') return 'check the AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), the bucket name, region and endpoint under sessionStorage.s3';
  return `check sessionStorage.${backend} and the README of the backend package`;
}

async function storageChecks(context: CliContext): Promise<Check[]> {
  const settings = context.config.sessionStorage;
  const checks: Check[] = [];
  const localDir = displayPath(context, context.localBaseDir);
  if (settings.backend === 'local') {
    checks.push(check('backend', 'ok', 'local (built in)'));
    const probe = await probeBackend(async () => createLocalBackend({ baseDir: context.localBaseDir }));
    checks.push(probe.ok ? check('storage', 'ok', `${localDir} is writable: ${probe.detail}`) : check('storage', 'fail', `${localDir}: ${probe.detail}`, storageFix(context, 'local')));
    return checks;
  }
  let description: StorageDescription;
  let definition: BackendDefinition;
  let config: unknown;
  try {
    definition = await loadBackendDefinition(settings.backend, context.projectDir, context.config.file);
    config = parseBackendConfig(definition, context.config);
    description = await describeContextStorage(context);
  } catch (error) {
    const missing = isRunbookError(error, 'BACKEND_UNKNOWN');
    checks.push(check('backend', 'fail', describeError(error), missing ? 'install the backend package beside the CLI (npm i -g <package>) or in ~/.runbook/backends (npm i --prefix ~/.runbook/backends <package>), or fix sessionStorage.backend' : 'fix .runbook/config.yaml'));
    checks.push(check('storage', 'skip', 'backend not available'));
    return checks;
  }
  checks.push(check('backend', 'ok', `${settings.backend}${settings.backend === definition.name ? '' : ` (${definition.name})`}`));
  const def = definition;
  const cfg = config;
  const probe = await probeBackend(async () => def.create(cfg, { projectDir: context.projectDir, localBaseDir: context.localBaseDir, env: context.env }));
  if (probe.ok) {
    const left = probe.leftBehind ? ` (the backend cannot delete: probe session ${probe.leftBehind} remains)` : '';
    checks.push(check('storage', probe.leftBehind ? 'warn' : 'ok', `${description.location} is reachable: ${probe.detail}${left}`));
  } else {
    checks.push(check('storage', 'fail', `${description.location}: ${probe.detail}`, storageFix(context, def.name)));
  }
  if (settings.mirrorLocal) {
    const mirror = await probeBackend(async () => createLocalBackend({ baseDir: context.localBaseDir }));
    checks.push(mirror.ok ? check('mirror', 'ok', `${localDir} is writable`) : check('mirror', 'fail', `${localDir}: ${mirror.detail}`, storageFix(context, 'local')));
  }
  return checks;
}

function hookCheck(projectDir: string): Check {
  const installations = findHookInstallations(projectDir);
  const unreadable = installations.find((i) => i.error);
  if (unreadable) return check('hook', 'fail', unreadable.error!, `fix the JSON in ${unreadable.file}`);
  const installed = installations.filter((i) => i.hooks.length > 0);
  if (installed.length === 0) return check('hook', 'fail', 'not installed in any Claude Code settings file', 'run: runbook integrations claude enable');
  const commands = [...new Set(installed.flatMap((i) => i.hooks.map((h) => h.command)))];
  for (const command of commands) {
    const problem = hookCommandProblem(command);
    if (problem) return check('hook', 'fail', `the hook command cannot start: ${problem}`, 'run: runbook integrations claude enable (again, to rewrite the command)');
  }
  const where = installed.map((i) => `${displayPath({ projectDir }, i.file)} (${i.scope}, ${i.hooks.length} events)`).join(', ');
  if (commands.length > 1) {
    return check('hook', 'warn', `installed with ${commands.length} different commands in ${where}: events are stored more than once`, 'keep one: runbook integrations claude disable --scope <scope>');
  }
  return check('hook', 'ok', `installed in ${where}`);
}

async function outboxCheck(context: CliContext): Promise<Check> {
  try {
    const state = await readOutboxState(context);
    if (!state) return check('outbox', 'skip', 'n/a (local backend: nothing waits)');
    if (state.pending === 0) return check('outbox', 'ok', `nothing waiting in ${displayPath(context, state.dir)}`);
    const age = state.oldest ? `, oldest from ${formatDuration(Date.now() - Date.parse(state.oldest))} ago` : '';
    return check('outbox', 'warn', `${state.pending} events waiting in ${displayPath(context, state.dir)}${age}`, 'send them now: runbook integrations claude sync (later hooks also send them once the backend is reachable)');
  } catch (error) {
    return check('outbox', 'fail', describeError(error), 'fix sessionStorage.outbox in .runbook/config.yaml');
  }
}

export async function runDoctor(opts: DoctorOptions): Promise<void> {
  const env = process.env;
  const projectDir = resolveProjectDir({ env, ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const checks: Check[] = [nodeCheck()];
  let context: CliContext | undefined;
  try {
    context = await loadContext({ env, projectDir });
    checks.push(check('config', 'ok', `${context.config.file ? displayPath(context, context.config.file) : 'no .runbook/config.yaml, defaults apply'}; backend ${context.config.sessionStorage.backend}`));
  } catch (error) {
    checks.push(check('config', 'fail', describeError(error), 'fix the named key in .runbook/config.yaml'));
  }
  if (context) checks.push(...(await storageChecks(context)));
  else checks.push(check('storage', 'skip', 'config is invalid'));
  checks.push(hookCheck(projectDir));
  if (context) checks.push(await outboxCheck(context));

  const failed = checks.filter((c) => c.status === 'fail').length;
  if (failed > 0) process.exitCode = 1;
  if (opts.json) {
    await writeJson({ ok: failed === 0, checks });
    return;
  }
  const style = createStyle(process.stdout);
  const label = { ok: style.green('ok  '), warn: style.yellow('warn'), fail: style.red('FAIL'), skip: style.dim('skip') };
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${label[c.status]}  ${c.name.padEnd(width)}  ${c.detail}${c.fix ? ` ${style.dim(`(fix: ${c.fix})`)}` : ''}`);
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  await writeChunk(`${lines.join('\n')}\n`);
}
