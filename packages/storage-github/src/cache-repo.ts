import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '@runbook/storage-core';
import { createGitRunner, gitMessage, type GitResult, type GitRunner } from './git.js';
import { parseEventsPath, parseTranscriptPath, type SessionFile, type TranscriptFile } from './layout.js';

/** The server asked us to slow down; `waitMs` is how long. */
export class RateLimitedError extends Error {
  readonly waitMs: number;
  constructor(message: string, waitMs: number) {
    super(message);
    this.name = 'RateLimitedError';
    this.waitMs = waitMs;
  }
}

export interface CacheRepoOptions {
  /** Directory the bare cache repository lives in. */
  dir: string;
  remoteUrl: string;
  /** For messages: `owner/name`. */
  repository: string;
  token: string;
  branch: string;
  /** Folder prefix of the session files in the repository. */
  prefix: string;
  env: NodeJS.ProcessEnv;
  gitPath?: string;
  now?: () => number;
  /** Fires when the backend is closed: git processes still running are ended. */
  signal?: AbortSignal;
}

/** One file to write (`content`) or remove (`content: null`) in the next commit. */
export interface FileChange {
  path: string;
  content: Buffer | null;
}

const RATE_LIMIT_STATUSES = new Set([403, 429]);
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/** The cache repository's folder name: one per remote and branch, readable, no secrets. */
export function cacheDirName(remoteUrl: string, branch: string): string {
  const digest = createHash('sha256').update(`${remoteUrl}\n${branch}`).digest('hex').slice(0, 16);
  const readable = remoteUrl
    .replace(/^https?:\/\//, '')
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .slice(-60);
  return `${readable}-${digest}.git`;
}

/**
 * A bare, shallow (`--depth 1`), blobless (`--filter=blob:none`) copy of the sessions branch: trees come
 * with every fetch, a file's content only when it is read or merged. Nothing in it is trusted: its config
 * is rewritten and its hooks removed on every open, so a crafted copy (e.g. committed into a project that
 * was cloned) cannot run code or redirect the token.
 */
export class CacheRepo {
  readonly gitDir: string;
  private readonly git: GitRunner;
  private readonly trackingRef: string;
  private opened = false;
  /** Git commands that talked to the server, by kind: what the backend's work cost. */
  readonly requests = { fetches: 0, blobFetches: 0, pushes: 0, rejectedPushes: 0, probes: 0 };

  constructor(private readonly options: CacheRepoOptions) {
    this.gitDir = path.join(options.dir, cacheDirName(options.remoteUrl, options.branch));
    this.trackingRef = `refs/remotes/origin/${options.branch}`;
    this.git = createGitRunner({
      gitDir: this.gitDir,
      remoteUrl: options.remoteUrl,
      token: options.token,
      env: options.env,
      ...(options.gitPath ? { gitPath: options.gitPath } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  get lockFile(): string {
    return `${this.gitDir}.lock`;
  }

  scrub(text: string): string {
    return this.git.scrub(text);
  }

  /** Create the cache repository if needed and (re)write its config. Call under the lock. */
  async open(): Promise<void> {
    if (this.opened) return;
    mkdirSync(this.options.dir, { recursive: true });
    if (!existsSync(path.join(this.gitDir, 'objects'))) {
      const init = await this.git.run(['init', '--quiet', '--bare', this.gitDir]);
      if (init.code !== 0) throw this.failure('creating the local cache repository', init);
    }
    rmSync(path.join(this.gitDir, 'hooks'), { recursive: true, force: true });
    rmSync(path.join(this.gitDir, 'objects', 'info', 'alternates'), { force: true });
    const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    writeFileSync(
      path.join(this.gitDir, 'config'),
      [
        '[core]',
        '\trepositoryformatversion = 1',
        '\tbare = true',
        '\thooksPath = /dev/null',
        '[extensions]',
        '\tpartialclone = origin',
        '[remote "origin"]',
        `\turl = ${quoted(this.options.remoteUrl)}`,
        '\tpromisor = true',
        '\tpartialclonefilter = blob:none',
        '',
      ].join('\n'),
    );
    this.opened = true;
  }

  private failure(what: string, result: GitResult): Error {
    const message = `${what} (${this.options.repository}, branch ${this.options.branch}): ${gitMessage(result)}`;
    if (
      result.httpStatus !== undefined &&
      RATE_LIMIT_STATUSES.has(result.httpStatus) &&
      (result.retryAfterSeconds !== undefined || result.httpStatus === 429)
    ) {
      return new RateLimitedError(`${message} (rate limited)`, (result.retryAfterSeconds ?? 60) * 1000);
    }
    if (
      result.httpStatus === 401 ||
      /authentication failed|could not read username|terminal prompts disabled/i.test(result.stderr)
    ) {
      return new RunbookError(
        'STORAGE_WRITE_FAILED',
        `${what}: ${this.options.repository} refused the token (HTTP 401): check sessionStorage.github.token and that it may read and write the repository`,
      );
    }
    return new RunbookError('STORAGE_WRITE_FAILED', this.git.scrub(message));
  }

  /** Server trouble worth trying again soon (5xx, a dropped connection). */
  static retryable(error: unknown): boolean {
    return error instanceof TransientError;
  }

  private async network(what: string, args: string[], signal?: AbortSignal): Promise<GitResult> {
    const result = await this.git.run(args, { network: true, ...(signal ? { signal } : {}) });
    if (
      result.code !== 0 &&
      ((result.httpStatus !== undefined && RETRYABLE_STATUSES.has(result.httpStatus)) ||
        /connection (reset|refused)|timed out|early EOF|unexpected disconnect|RPC failed/i.test(result.stderr))
    ) {
      throw new TransientError(this.failure(what, result).message);
    }
    return result;
  }

  /** Fetch the branch tip (no history, no file contents). Undefined when the branch does not exist yet. */
  async fetchTip(signal?: AbortSignal): Promise<string | undefined> {
    this.requests.fetches += 1;
    const result = await this.network(
      'fetching',
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--depth',
        '1',
        '--filter=blob:none',
        '--no-write-fetch-head',
        '--recurse-submodules=no',
        'origin',
        `+refs/heads/${this.options.branch}:${this.trackingRef}`,
      ],
      signal,
    );
    if (result.code !== 0) {
      if (/couldn't find remote ref/i.test(result.stderr)) {
        await this.git.run(['update-ref', '-d', this.trackingRef]);
        return undefined;
      }
      throw this.failure('fetching', result);
    }
    return this.localTip();
  }

  /** The tip last fetched or pushed, without asking the server. */
  async localTip(): Promise<string | undefined> {
    const result = await this.git.run(['rev-parse', '--verify', '--quiet', `${this.trackingRef}^{commit}`]);
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /** Every session file in the tree of `tip`. */
  async sessionFiles(tip: string | undefined): Promise<SessionFile[]> {
    return (await this.treeFiles(tip)).events;
  }

  /** Every session file and archived transcript chunk in the tree of `tip`. */
  async treeFiles(tip: string | undefined): Promise<{ events: SessionFile[]; transcripts: TranscriptFile[] }> {
    if (!tip) return { events: [], transcripts: [] };
    const args = ['ls-tree', '-r', '-z', '--full-tree', tip];
    if (this.options.prefix) args.push('--', this.options.prefix);
    const result = await this.git.run(args);
    if (result.code !== 0)
      throw new RunbookError('STORAGE_READ_FAILED', `listing ${this.options.repository}: ${gitMessage(result)}`);
    const files: SessionFile[] = [];
    const transcripts: TranscriptFile[] = [];
    for (const entry of result.stdout.toString('utf8').split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const [, type, oid] = entry.slice(0, tab).split(' ');
      if (type !== 'blob' || !oid) continue;
      const file = parseEventsPath(this.options.prefix, entry.slice(tab + 1), oid);
      if (file) files.push(file);
      else {
        const chunk = parseTranscriptPath(this.options.prefix, entry.slice(tab + 1), oid);
        if (chunk) transcripts.push(chunk);
      }
    }
    return { events: files, transcripts };
  }

  /** Fetch, in one request, the contents of the blobs this copy does not have yet. */
  async ensureBlobs(blobs: string[], signal?: AbortSignal): Promise<void> {
    const unique = [...new Set(blobs)];
    if (unique.length === 0) return;
    const listing = unique.map((oid, i) => `100644 blob ${oid}\t${i}\n`).join('');
    const tree = await this.git.run(['mktree', '--missing'], { input: listing });
    if (tree.code !== 0)
      throw new RunbookError('STORAGE_READ_FAILED', `reading ${this.options.repository}: ${gitMessage(tree)}`);
    const missing = await this.git.run([
      'rev-list',
      '--objects',
      '--missing=print',
      tree.stdout.toString('utf8').trim(),
    ]);
    const absent = missing.stdout
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('?'))
      .map((l) => l.slice(1).trim());
    if (absent.length === 0) return;
    this.requests.blobFetches += 1;
    const result = await this.network(
      'fetching session files',
      [
        '-c',
        'fetch.negotiationAlgorithm=noop',
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--recurse-submodules=no',
        '--filter=blob:none',
        'origin',
        ...absent,
      ],
      signal,
    );
    if (result.code !== 0) throw this.failure('fetching session files', result);
  }

  /** A blob's bytes (fetched first when missing). */
  async readBlob(oid: string, signal?: AbortSignal): Promise<Buffer> {
    await this.ensureBlobs([oid], signal);
    const result = await this.git.run(['cat-file', 'blob', oid]);
    if (result.code !== 0)
      throw new RunbookError('STORAGE_READ_FAILED', `reading ${this.options.repository}: ${gitMessage(result)}`);
    return result.stdout;
  }

  /** Build a commit on `parent` (or a first commit) that writes and removes `changes`. */
  async commit(parent: string | undefined, changes: FileChange[], message: string): Promise<string> {
    const indexFile = path.join(this.gitDir, `runbook-index-${process.pid}-${Date.now().toString(36)}`);
    const env = { GIT_INDEX_FILE: indexFile };
    try {
      if (parent) {
        const read = await this.git.run(['read-tree', parent], { env });
        if (read.code !== 0) throw new RunbookError('STORAGE_WRITE_FAILED', `preparing a commit: ${gitMessage(read)}`);
      }
      const entries: string[] = [];
      for (const change of changes) {
        if (change.content === null) {
          entries.push(`0 ${'0'.repeat(40)}\t${change.path}`);
          continue;
        }
        const hashed = await this.git.run(['hash-object', '-w', '--stdin'], { input: change.content });
        if (hashed.code !== 0)
          throw new RunbookError('STORAGE_WRITE_FAILED', `writing ${change.path}: ${gitMessage(hashed)}`);
        entries.push(`100644 ${hashed.stdout.toString('utf8').trim()}\t${change.path}`);
      }
      const update = await this.git.run(['update-index', '-z', '--index-info'], {
        env,
        input: entries.map((e) => `${e}\0`).join(''),
      });
      if (update.code !== 0)
        throw new RunbookError('STORAGE_WRITE_FAILED', `preparing a commit: ${gitMessage(update)}`);
      const tree = await this.git.run(['write-tree'], { env });
      if (tree.code !== 0) throw new RunbookError('STORAGE_WRITE_FAILED', `preparing a commit: ${gitMessage(tree)}`);
      const args = ['commit-tree', tree.stdout.toString('utf8').trim(), '-F', '-'];
      if (parent) args.push('-p', parent);
      const commit = await this.git.run(args, {
        input: message,
        env: {
          GIT_AUTHOR_NAME: 'runbook',
          GIT_AUTHOR_EMAIL: 'runbook@localhost',
          GIT_COMMITTER_NAME: 'runbook',
          GIT_COMMITTER_EMAIL: 'runbook@localhost',
        },
      });
      if (commit.code !== 0) throw new RunbookError('STORAGE_WRITE_FAILED', `committing: ${gitMessage(commit)}`);
      return commit.stdout.toString('utf8').trim();
    } finally {
      rmSync(indexFile, { force: true });
    }
  }

  /** Push `commit` as the new branch tip. `rejected`: someone else pushed first (fetch, merge, try again). */
  async push(commit: string, signal?: AbortSignal): Promise<'pushed' | 'rejected'> {
    this.requests.pushes += 1;
    const result = await this.network(
      'pushing',
      ['push', '--porcelain', '--quiet', '--no-verify', 'origin', `${commit}:refs/heads/${this.options.branch}`],
      signal,
    );
    if (result.code === 0) {
      await this.git.run(['update-ref', this.trackingRef, commit]);
      return 'pushed';
    }
    const said = `${result.stdout.toString('utf8')}\n${result.stderr}`;
    if (
      /\[rejected\]|non-fast-forward|fetch first|failed to lock|cannot lock ref|stale info|\[remote rejected\].*(lock|not a fast)/i.test(
        said,
      )
    ) {
      this.requests.rejectedPushes += 1;
      return 'rejected';
    }
    throw this.failure('pushing', result);
  }

  /** Does the remote let this token push? Runs `git push --dry-run` of the tip (or an empty first commit): nothing is written. */
  async canPush(tip: string | undefined, signal?: AbortSignal): Promise<void> {
    const commit = tip ?? (await this.commit(undefined, [], 'runbook: write check (never pushed)'));
    this.requests.probes += 1;
    const result = await this.network(
      'checking write access',
      [
        'push',
        '--dry-run',
        '--porcelain',
        '--quiet',
        '--no-verify',
        'origin',
        `${commit}:refs/heads/${this.options.branch}`,
      ],
      signal,
    );
    if (result.code !== 0) throw this.failure('checking write access', result);
  }
}

/** A failure worth retrying soon: a 5xx answer or a dropped connection. */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}
