import { spawn } from 'node:child_process';

/** What one git command printed and how it ended. */
export interface GitResult {
  code: number;
  stdout: Buffer;
  /** git's own messages, with HTTP trace lines and anything secret removed. */
  stderr: string;
  /** The last HTTP status git received, when the command talked to the server. */
  httpStatus?: number;
  /** Seconds to wait, from `Retry-After` or `x-ratelimit-reset` on the last response that carried them. */
  retryAfterSeconds?: number;
}

export interface GitRunner {
  /** Run `git <args>` in the cache repository. Never throws on a non-zero exit; check `code`. */
  run(
    args: string[],
    options?: { input?: string | Buffer; network?: boolean; signal?: AbortSignal; env?: NodeJS.ProcessEnv },
  ): Promise<GitResult>;
  /** Remove the token (and its encoded form) from any text before it is shown. */
  scrub(text: string): string;
}

export interface GitRunnerOptions {
  /** The bare cache repository. */
  gitDir: string;
  remoteUrl: string;
  token: string;
  /** The caller's environment; user name, home and proxies pass through, the token never enters it. */
  env: NodeJS.ProcessEnv;
  /** Git executable (default `git`). */
  gitPath?: string;
  now?: () => number;
  /** Ends every git process still running when it fires (the backend was closed). */
  signal?: AbortSignal;
}

const TRACE_PREFIX = /^\d{2}:\d{2}:\d{2}\.\d+ http\.c:\d+\s+/;
/** Variables of the caller's environment that would make git prompt, ask a helper, or trace the token. */
const DROPPED = [
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_TRACE',
  'GIT_TRACE_CURL',
  'GIT_TRACE_PACKET',
  'GIT_CURL_VERBOSE',
  'GIT_TRACE_REDACT',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_CONFIG_PARAMETERS',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
];

/**
 * How the token reaches git: as an `http.<remote url>.extraHeader` set through `GIT_CONFIG_COUNT`/`KEY`/
 * `VALUE` environment variables. It is never in a command line (`ps` shows those), never in a config or
 * credential file, and git sends it only to URLs under the remote. Credential helpers and prompts are off.
 */
function authEnv(options: GitRunnerOptions, extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...options.env };
  for (const key of DROPPED) delete env[key];
  for (const key of Object.keys(env)) if (/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)$/.test(key)) delete env[key];
  const basic = Buffer.from(`x-access-token:${options.token}`, 'utf8').toString('base64');
  const settings: Array<[string, string]> = [
    [`http.${options.remoteUrl}.extraHeader`, `Authorization: Basic ${basic}`],
    ['credential.helper', ''],
    ['core.askPass', ''],
    ['http.followRedirects', 'false'],
    // Housekeeping runs inside the caller's lock, never detached into a process that outlives it.
    ['gc.autoDetach', 'false'],
    ['maintenance.autoDetach', 'false'],
  ];
  env.GIT_CONFIG_COUNT = String(settings.length);
  settings.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  env.GIT_DIR = options.gitDir;
  env.LC_ALL = 'C';
  env.LANG = 'C';
  return { ...env, ...extra };
}

/** Seconds to wait that one response's headers ask for: `Retry-After`, else the reset time of a spent rate limit. */
function waitAsked(headers: Map<string, string>, now: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== undefined) {
    const seconds = /^\d+$/.test(retryAfter) ? Number(retryAfter) : Math.ceil((Date.parse(retryAfter) - now) / 1000);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (headers.get('x-ratelimit-remaining') === '0' && reset !== undefined && /^\d+$/.test(reset))
    return Math.max(0, Math.ceil(Number(reset) - now / 1000));
  return undefined;
}

/** Split git's stderr into its own messages and the HTTP trace, keeping the last response's status and wait. */
function parseTrace(lines: string[], now: number): { status?: number; retryAfterSeconds?: number; rest: string[] } {
  const rest: string[] = [];
  let status: number | undefined;
  let headers = new Map<string, string>();
  for (const raw of lines) {
    if (!TRACE_PREFIX.test(raw)) {
      rest.push(raw);
      continue;
    }
    const received = /^<= Recv header: (.*)$/.exec(raw.replace(TRACE_PREFIX, ''))?.[1]?.trim();
    if (received === undefined) continue;
    const statusLine = /^HTTP\/[\d.]+ (\d{3})/.exec(received);
    if (statusLine) {
      status = Number(statusLine[1]);
      headers = new Map();
      continue;
    }
    const colon = received.indexOf(':');
    if (colon > 0) headers.set(received.slice(0, colon).trim().toLowerCase(), received.slice(colon + 1).trim());
  }
  const retryAfterSeconds = status !== undefined && status >= 400 ? waitAsked(headers, now) : undefined;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    rest,
  };
}

export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const now = options.now ?? Date.now;
  const basic = Buffer.from(`x-access-token:${options.token}`, 'utf8').toString('base64');
  const secrets = [options.token, basic].filter((s) => s.length >= 4);
  const scrub = (text: string): string => secrets.reduce((out, secret) => out.split(secret).join('***'), text);

  function run(
    args: string[],
    runOptions: { input?: string | Buffer; network?: boolean; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
  ): Promise<GitResult> {
    const env = authEnv(options, runOptions.env);
    if (runOptions.network) {
      // Response headers (status, Retry-After, rate-limit reset) come from git's HTTP trace on stderr;
      // git redacts the Authorization header there, and every trace line is dropped below anyway.
      env.GIT_TRACE_CURL = '2';
      env.GIT_TRACE_CURL_NO_DATA = '1';
      env.GIT_TRACE_REDACT = '1';
    }
    return new Promise((resolve) => {
      const child = spawn(options.gitPath ?? 'git', args, {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        ...((runOptions.signal ?? options.signal) ? { signal: runOptions.signal ?? options.signal } : {}),
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.stdin.on('error', () => {});
      let spawnError: Error | undefined;
      child.on('error', (error) => {
        spawnError = error;
      });
      child.on('close', (code) => {
        const lines = Buffer.concat(err).toString('utf8').split('\n');
        const trace = parseTrace(lines, now());
        let stderr = scrub(trace.rest.filter((l) => l.trim() !== '').join('\n'));
        if (spawnError)
          stderr = `${stderr}${stderr ? '\n' : ''}${(spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (no git on PATH)' : spawnError.message}`;
        resolve({
          code: code ?? 1,
          stdout: Buffer.concat(out),
          stderr,
          ...(trace.status !== undefined ? { httpStatus: trace.status } : {}),
          ...(trace.retryAfterSeconds !== undefined ? { retryAfterSeconds: trace.retryAfterSeconds } : {}),
        });
      });
      if (runOptions.input !== undefined) child.stdin.end(runOptions.input);
      else child.stdin.end();
    });
  }

  return { run, scrub };
}

/** The one line of git's output worth showing: its `fatal:`/`error:` message, else the last line. */
export function gitMessage(result: GitResult): string {
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return (fatal ?? lines.at(-1) ?? `git exited with ${result.code}`).replace(/^(fatal|error):\s*/, '');
}
