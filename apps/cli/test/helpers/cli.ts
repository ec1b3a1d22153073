import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI: tests run the real bundle as a real process. */
export const CLI = fileURLToPath(new URL('../../dist/runbook.cjs', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Run this copy of the CLI instead of the built one (an install elsewhere). */
  cli?: string;
}

/** Run `runbook <args>` to completion. The environment is the test's, minus CLAUDE_PROJECT_DIR, plus `env`. */
export function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  if (options.env?.CLAUDE_PROJECT_DIR === undefined) delete env.CLAUDE_PROJECT_DIR;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cli ?? CLI, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - started,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** `runbook integrations claude hook` with one event on stdin, in `project`. */
export function runHook(
  project: string,
  input: string | Buffer | object,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const body = typeof input === 'string' || Buffer.isBuffer(input) ? input : JSON.stringify(input);
  return runCli(['integrations', 'claude', 'hook', ...extraArgs], {
    input: body,
    cwd: project,
    env: { CLAUDE_PROJECT_DIR: project, ...env },
  });
}

export interface TempProject {
  dir: string;
  /** Write `.runbook/config.yaml`. */
  config(yaml: string): void;
  cleanup(): void;
}

/** A fresh project directory with an empty `.runbook/`. */
export function tempProject(prefix = 'runbook-cli-'): TempProject {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(dir, '.runbook'), { recursive: true });
  return {
    dir,
    config: (yaml) => writeFileSync(path.join(dir, '.runbook', 'config.yaml'), yaml),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A Claude Code hook payload as it arrives on stdin. */
export function hookEvent(
  sessionId: string,
  eventName: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    session_id: sessionId,
    transcript_path: `/home/dev/.claude/projects/-srv-app/${sessionId}.jsonl`,
    cwd: '/srv/app',
    permission_mode: 'default',
    hook_event_name: eventName,
    ...extra,
  };
}

/** Processes whose command line mentions `needle` (e.g. a project directory): what a test left running. */
export function processesMentioning(needle: string): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (args.includes(needle) && !/\) Z /.test(state)) found.push({ pid: Number(entry), args });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** The drainers serving a project's outbox right now. */
export function drainersOf(projectDir: string): { pid: number; args: string }[] {
  return processesMentioning(projectDir).filter((p) => p.args.includes('sync --background'));
}

/** Wait until `check` holds (polling), or the deadline passes; returns whether it held. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
