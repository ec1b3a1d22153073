import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  RunbookError,
  assertTranscriptChunk,
  compareTranscriptChunks,
  transcriptChunkName,
  describeError,
  parseNdjsonRecords,
  sessionIdToSegment,
  type AppendOutcome,
  type BackendDescription,
  type ProbeOptions,
  type ProbeResult,
  type ReadOptions,
  type SessionBackend,
  type SessionSummary,
  type StoredRecord,
  type TranscriptChunk,
  type TranscriptReadOptions,
} from '@runbook/storage-core';
import { CacheRepo, RateLimitedError, TransientError, type FileChange } from './cache-repo.js';
import type { GitHubBackendConfig } from './config.js';
import { webUrlOfApi } from './config.js';
import {
  EVENTS_FILE,
  eventsPath,
  sessionFolder,
  sessionIdOfSegment,
  transcriptPath,
  type SessionFile,
} from './layout.js';
import { withFileLock } from './lock.js';
import { eventIdsIn, mergeLines } from './merge.js';
import { probeFix } from './probe-hints.js';

export interface GitHubBackendOptions extends GitHubBackendConfig {
  /** Folder for the local cache repository (e.g. `<localBaseDir>/cache/github`). */
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  /** Git executable (default `git` on PATH). */
  gitPath?: string;
  /** Reads reuse the tip fetched (or pushed) this recently instead of asking the server again (default 2000 ms). */
  freshForMs?: number;
  /** Tries of one write when other machines keep pushing first or the server has a passing fault (default 12). */
  maxAttempts?: number;
  /** Longest wait for another local process that holds the cache (default 120 000 ms). */
  lockTimeoutMs?: number;
  now?: () => number;
  /** How to wait; tests pass a recording one. */
  wait?: (ms: number) => Promise<void>;
}

/** Git commands that talked to the server, by kind (each is one or two HTTP requests): what the work cost. */
export interface GitHubRequestCounts {
  /** Fetches of the branch tip (trees only). */
  fetches: number;
  /** Fetches of session file contents (all the files one operation needs, in one request). */
  blobFetches: number;
  /** Pushes, each of one commit, including the rejected ones. */
  pushes: number;
  /** Pushes refused because another machine pushed first. */
  rejectedPushes: number;
  /** `push --dry-run` write checks (`probe`). */
  probes: number;
}

export interface GitHubSessionBackend extends SessionBackend {
  appendBatch(records: StoredRecord[]): Promise<AppendOutcome[]>;
  list(): AsyncIterable<SessionSummary>;
  delete(sessionId: string): Promise<void>;
  describe(): BackendDescription;
  probe(options?: ProbeOptions): Promise<ProbeResult>;
  /** Archive one transcript chunk beside the session's events (queued with appends into the next commit). */
  appendTranscript(chunk: TranscriptChunk): Promise<AppendOutcome>;
  readTranscript(sessionId: string, options?: TranscriptReadOptions): AsyncIterable<TranscriptChunk>;
  /** Wait for the operations under way. */
  close(): Promise<void>;
  /** Git requests made so far by this instance. */
  readonly requests: Readonly<GitHubRequestCounts>;
}

/** One queued write: an event record or a transcript chunk. */
interface Pending {
  record?: StoredRecord;
  chunk?: TranscriptChunk;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

const RATE_LIMIT_FILE = 'rate-limited-until';
/** Tries of one operation when the server fails or cannot be reached (pushes beaten by another machine are retried up to `maxAttempts`). */
const MAX_FAULTS = 3;

/** A browsable place for the description: github.com's tree view when the remote is on the configured host. */
function locationOf(options: GitHubBackendOptions): string {
  const web = webUrlOfApi(options.apiUrl);
  const folder = options.path ? `/${options.path}` : '';
  if (options.remoteUrl === `${web}/${options.repository}.git`)
    return `${web}/${options.repository}/tree/${options.branch}${folder}`;
  return `${options.remoteUrl} (branch ${options.branch}${options.path ? `, folder ${options.path}` : ''})`;
}

function groupBySession(records: StoredRecord[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  records.forEach((record, i) => {
    const list = groups.get(record.sessionId);
    if (list) list.push(i);
    else groups.set(record.sessionId, [i]);
  });
  return groups;
}

/**
 * `backend: github`: sessions as files in a git repository, `<path>/<yyyy>/<mm>/<session>/events.ndjson`,
 * written through the `git` binary over HTTPS. Every write is one commit holding all the records given
 * (of any sessions), merged onto whatever the branch holds; a push that another machine beat is fetched,
 * merged again and retried.
 */
export function createGitHubBackend(options: GitHubBackendOptions): GitHubSessionBackend {
  const now = options.now ?? Date.now;
  const wait = options.wait ?? ((ms: number) => sleep(ms));
  const freshForMs = options.freshForMs ?? 2000;
  const maxAttempts = options.maxAttempts ?? 12;
  const lockTimeoutMs = options.lockTimeoutMs ?? 120_000;
  /** Fired by `close()`: a caller that stopped waiting (the hook, past its time budget) must not wait for git. */
  const closing = new AbortController();
  const repo = new CacheRepo({
    dir: options.cacheDir,
    remoteUrl: options.remoteUrl,
    repository: options.repository,
    token: options.token,
    branch: options.branch,
    prefix: options.path,
    env: options.env ?? process.env,
    ...(options.gitPath ? { gitPath: options.gitPath } : {}),
    now,
    signal: closing.signal,
  });
  const rateLimitFile = path.join(options.cacheDir, `${path.basename(repo.gitDir)}.${RATE_LIMIT_FILE}`);
  let lastSync = -Infinity;
  let chain: Promise<unknown> = Promise.resolve();
  let queue: Pending[] = [];
  let flushing = false;

  /** One operation at a time in this process, and across processes through the cache's lock file. */
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = chain
      .then(() => mkdirSync(options.cacheDir, { recursive: true }))
      .then(() =>
        withFileLock(
          repo.lockFile,
          lockTimeoutMs,
          async () => {
            if (closing.signal.aborted)
              throw new RunbookError('STORAGE_WRITE_FAILED', `${options.repository}: the backend was closed`);
            await repo.open();
            return work();
          },
          closing.signal,
        ),
      );
    chain = run.catch(() => {});
    return run;
  }

  async function fetchTip(): Promise<string | undefined> {
    const tip = await repo.fetchTip();
    lastSync = now();
    return tip;
  }

  async function currentTip(): Promise<string | undefined> {
    if (now() - lastSync < freshForMs) return repo.localTip();
    return fetchTip();
  }

  async function ensureBlobs(files: SessionFile[]): Promise<void> {
    await repo.ensureBlobs(files.map((f) => f.blob));
  }

  function rateLimitedUntil(): number {
    try {
      const until = Number(readFileSync(rateLimitFile, 'utf8'));
      return Number.isFinite(until) ? until : 0;
    } catch {
      return 0;
    }
  }

  /** Wait out a rate limit the server announced (here or in another process), or give up when it is too long. */
  async function honourRateLimit(): Promise<void> {
    const until = rateLimitedUntil();
    if (until <= now()) return;
    const ms = until - now();
    if (ms > options.maxRateLimitWaitMs) {
      throw new RunbookError(
        'STORAGE_WRITE_FAILED',
        `${options.repository} is rate limited until ${new Date(until).toISOString()}; the events wait and are sent after that`,
      );
    }
    await wait(ms);
  }

  /**
   * Retry `attempt` while other machines push first, the server has a passing fault, or a rate limit
   * asks us to wait (within `maxRateLimitWaitMs`). Every other failure is thrown at once.
   */
  async function withRetries<T>(what: string, attempt: (retry: boolean) => Promise<T | 'rejected'>): Promise<T> {
    let lastError: unknown;
    let faults = 0;
    for (let i = 0; i < maxAttempts; i++) {
      await honourRateLimit();
      try {
        const result = await exclusive(() => attempt(i > 0));
        if (result !== 'rejected') return result;
        lastError = new RunbookError(
          'STORAGE_WRITE_FAILED',
          `${what}: other machines kept pushing first (${maxAttempts} tries)`,
        );
      } catch (error) {
        if (error instanceof RateLimitedError) {
          writeFileSync(rateLimitFile, String(now() + error.waitMs));
          lastError = error;
          if (error.waitMs > options.maxRateLimitWaitMs) break;
          continue;
        }
        if (!(error instanceof TransientError)) throw error;
        lastError = error;
        // A server that is down stays down for a while: give up soon, the events wait for the next flush.
        if (++faults >= MAX_FAULTS) break;
      }
      // Spread the machines that collided apart: 50 ms, 100 ms, ... up to 2 s, with jitter.
      await wait(Math.min(2000, 50 * 2 ** i) * (0.5 + Math.random()));
    }
    if (lastError instanceof RunbookError) throw lastError;
    throw new RunbookError('STORAGE_WRITE_FAILED', `${what}: ${describeError(lastError)}`, { cause: lastError });
  }

  /**
   * One commit holding every record not yet on the branch; pushed, or `rejected` when someone pushed first.
   * A first try builds on the tip this process fetched or pushed moments ago (a push that is not a
   * fast-forward is refused, so nothing can be overwritten); a retry always fetches.
   */
  async function commitBatch(
    records: StoredRecord[],
    chunks: TranscriptChunk[],
    retry: boolean,
  ): Promise<{ events: AppendOutcome[]; chunks: AppendOutcome[] } | 'rejected'> {
    const tip = retry ? await fetchTip() : await currentTip();
    const { events: files, transcripts } = await repo.treeFiles(tip);
    /** The month folder a session already has (events or transcript), the earliest when it has two. */
    const monthOf = new Map<string, string>();
    for (const file of [...files, ...transcripts]) {
      const known = monthOf.get(file.segment);
      if (known === undefined || file.month < known) monthOf.set(file.segment, file.month);
    }
    const bySegment = new Map<string, SessionFile[]>();
    for (const file of files) {
      const list = bySegment.get(file.segment);
      if (list) list.push(file);
      else bySegment.set(file.segment, [file]);
    }
    const groups = groupBySession(records);
    const touched = [...groups.keys()].flatMap((id) => bySegment.get(sessionIdToSegment(id)) ?? []);
    await ensureBlobs(touched);

    const outcomes: AppendOutcome[] = new Array<AppendOutcome>(records.length);
    const changes: FileChange[] = [];
    let added = 0;
    for (const [sessionId, indexes] of groups) {
      const sessionRecords = indexes.map((i) => records[i]!);
      const existing = (bySegment.get(sessionIdToSegment(sessionId)) ?? []).sort(
        (a, b) => a.month.localeCompare(b.month) || a.path.localeCompare(b.path),
      );
      const target = existing[0];
      const elsewhere = new Set<string>();
      for (const file of existing.slice(1))
        for (const id of eventIdsIn(await repo.readBlob(file.blob))) elsewhere.add(id);
      const firstSeen = sessionRecords.map((r) => r.observedAt).sort()[0]!;
      const segment = sessionIdToSegment(sessionId);
      const month = monthOf.get(segment);
      const filePath =
        target?.path ??
        (month
          ? `${sessionFolder(options.path, month, segment)}/${EVENTS_FILE}`
          : eventsPath(options.path, sessionId, firstSeen));
      const merged = mergeLines(target ? await repo.readBlob(target.blob) : undefined, sessionRecords, elsewhere);
      merged.outcomes.forEach((outcome, j) => {
        outcomes[indexes[j]!] = outcome;
      });
      if (merged.added > 0) {
        changes.push({ path: filePath, content: merged.content });
        added += merged.added;
      }
    }
    const sessionsWithEvents = changes.length;

    // Transcript chunks: one file each beside the session's events; a chunk already there is a duplicate.
    const chunkOutcomes: AppendOutcome[] = [];
    const present = new Set(transcripts.map((t) => `${t.segment}/${t.file}/${transcriptChunkName(t)}`));
    const thisMonth = new Date(now()).toISOString().slice(0, 7).replace('-', '/');
    for (const chunk of chunks) {
      const segment = sessionIdToSegment(chunk.sessionId);
      const key = `${segment}/${chunk.file}/${transcriptChunkName(chunk)}`;
      if (present.has(key)) {
        chunkOutcomes.push('duplicate');
        continue;
      }
      present.add(key);
      if (!monthOf.has(segment)) monthOf.set(segment, thisMonth);
      const folder = sessionFolder(options.path, monthOf.get(segment)!, segment);
      changes.push({ path: transcriptPath(folder, chunk), content: Buffer.from(chunk.text, 'utf8') });
      chunkOutcomes.push('stored');
    }
    const stored = changes.length - sessionsWithEvents;

    if (changes.length === 0) return { events: outcomes, chunks: chunkOutcomes };
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const parts = [
      ...(added > 0 ? [`${plural(added, 'event')} in ${plural(sessionsWithEvents, 'session')}`] : []),
      ...(stored > 0 ? [plural(stored, 'transcript chunk')] : []),
    ];
    const commit = await repo.commit(tip, changes, `runbook: ${parts.join(', ')}\n`);
    const pushed = await repo.push(commit);
    if (pushed === 'rejected') return 'rejected';
    lastSync = now();
    return { events: outcomes, chunks: chunkOutcomes };
  }

  /** Records and transcript chunks, of any sessions, as one commit. */
  function commitAll(
    records: StoredRecord[],
    chunks: TranscriptChunk[],
  ): Promise<{ events: AppendOutcome[]; chunks: AppendOutcome[] }> {
    const what = [
      records.length > 0 ? `${records.length} events` : '',
      chunks.length > 0 ? `${chunks.length} transcript chunks` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    return withRetries(`storing ${what} in ${options.repository}`, (retry) => commitBatch(records, chunks, retry));
  }

  async function appendBatch(records: StoredRecord[]): Promise<AppendOutcome[]> {
    if (records.length === 0) return [];
    return (await commitAll(records, [])).events;
  }

  /** Single appends made while a commit is being pushed ride together in the next one. */
  function flushQueue(): void {
    if (flushing) return;
    flushing = true;
    void (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          const records = batch.flatMap((p) => (p.record ? [p.record] : []));
          const chunks = batch.flatMap((p) => (p.chunk ? [p.chunk] : []));
          const outcomes = await commitAll(records, chunks);
          let r = 0;
          let c = 0;
          for (const p of batch) p.resolve(p.record ? outcomes.events[r++]! : outcomes.chunks[c++]!);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
      flushing = false;
    })();
  }

  async function sessionFilesOf(sessionId: string, fresh: boolean): Promise<SessionFile[]> {
    const segment = sessionIdToSegment(sessionId);
    const tip = fresh ? await fetchTip() : await currentTip();
    return (await repo.sessionFiles(tip))
      .filter((f) => f.segment === segment)
      .sort((a, b) => a.month.localeCompare(b.month) || a.path.localeCompare(b.path));
  }

  async function* read(sessionId: string, readOptions: ReadOptions = {}): AsyncGenerator<StoredRecord> {
    sessionIdToSegment(sessionId);
    const contents = await exclusive(async () => {
      const files = await sessionFilesOf(sessionId, false);
      await ensureBlobs(files);
      const out: Array<{ path: string; content: Buffer }> = [];
      for (const file of files) out.push({ path: file.path, content: await repo.readBlob(file.blob) });
      return out;
    }).catch((error: unknown) => {
      if (error instanceof RunbookError) throw new RunbookError('STORAGE_READ_FAILED', error.message, { cause: error });
      throw new RunbookError('STORAGE_READ_FAILED', `reading ${options.repository}: ${describeError(error)}`, {
        cause: error,
      });
    });
    const seen = new Set<string>();
    for (const { path: location, content } of contents) {
      async function* chunks(): AsyncGenerator<Buffer> {
        yield content;
      }
      for await (const record of parseNdjsonRecords(chunks(), {
        sessionId,
        location,
        seen,
        ...(readOptions.onIssue ? { onIssue: readOptions.onIssue } : {}),
      })) {
        if (record.sessionId !== sessionId) {
          readOptions.onIssue?.({
            kind: 'corrupt-line',
            sessionId,
            location,
            detail: `record ${record.eventId} belongs to another session`,
          });
          continue;
        }
        yield record;
      }
    }
  }

  /** Every archived chunk of a session (or of one of its files), in `compareTranscriptChunks` order. */
  async function* readTranscript(
    sessionId: string,
    readOptions: TranscriptReadOptions = {},
  ): AsyncGenerator<TranscriptChunk> {
    const segment = sessionIdToSegment(sessionId);
    const chunks = await exclusive(async () => {
      const { transcripts } = await repo.treeFiles(await currentTip());
      const mine = transcripts.filter(
        (t) => t.segment === segment && (readOptions.file === undefined || t.file === readOptions.file),
      );
      await repo.ensureBlobs(mine.map((t) => t.blob));
      const out: TranscriptChunk[] = [];
      for (const t of mine) {
        const text = (await repo.readBlob(t.blob)).toString('utf8');
        out.push({ sessionId, file: t.file, generation: t.generation, offset: t.offset, length: t.length, text });
      }
      return out;
    }).catch((error: unknown) => {
      throw new RunbookError(
        'STORAGE_READ_FAILED',
        `reading transcripts from ${options.repository}: ${describeError(error)}`,
        { cause: error },
      );
    });
    chunks.sort(compareTranscriptChunks);
    yield* chunks;
  }

  async function* list(): AsyncGenerator<SessionSummary> {
    const found = await exclusive(async () => {
      const files = await repo.sessionFiles(await currentTip());
      const ids = new Map<string, string>();
      for (const file of files) {
        if (ids.has(file.segment)) continue;
        let id = sessionIdOfSegment(file.segment);
        if (id === undefined) {
          // A shortened segment: the real id is in the file's first record.
          const first = (await repo.readBlob(file.blob)).toString('utf8').split('\n', 1)[0] ?? '';
          try {
            const parsed = JSON.parse(first) as { sessionId?: unknown };
            if (typeof parsed.sessionId === 'string' && sessionIdToSegment(parsed.sessionId) === file.segment)
              id = parsed.sessionId;
          } catch {
            id = undefined;
          }
        }
        if (id !== undefined) ids.set(file.segment, id);
      }
      return [...ids.values()];
    });
    for (const sessionId of found) yield { sessionId };
  }

  async function deleteSession(sessionId: string): Promise<void> {
    sessionIdToSegment(sessionId);
    await withRetries(`deleting session ${sessionId} from ${options.repository}`, async () => {
      const segment = sessionIdToSegment(sessionId);
      const tree = await repo.treeFiles(await fetchTip());
      const files = [...tree.events, ...tree.transcripts].filter((f) => f.segment === segment);
      if (files.length === 0) return undefined;
      const tip = await repo.localTip();
      const commit = await repo.commit(
        tip,
        files.map((f) => ({ path: f.path, content: null })),
        `runbook: remove session ${sessionId}\n`,
      );
      const pushed = await repo.push(commit);
      if (pushed === 'rejected') return 'rejected';
      lastSync = now();
      return undefined;
    });
  }

  async function probe(): Promise<ProbeResult> {
    try {
      const { tip, sessions } = await exclusive(async () => {
        const fetched = await fetchTip();
        const files = await repo.sessionFiles(fetched);
        await repo.canPush(fetched);
        return { tip: fetched, sessions: new Set(files.map((f) => f.segment)).size };
      });
      const state = tip
        ? `${sessions} session${sessions === 1 ? '' : 's'} stored`
        : `branch ${options.branch} does not exist yet; the first flush creates it`;
      return { ok: true, detail: `the token can fetch and push (checked with push --dry-run): ${state}` };
    } catch (error) {
      const message = repo.scrub(describeError(error));
      return { ok: false, detail: message, fix: probeFix(message, options) };
    }
  }

  return {
    name: 'github',
    requests: repo.requests,
    async append(record: StoredRecord): Promise<AppendOutcome> {
      sessionIdToSegment(record.sessionId);
      return new Promise((resolve, reject) => {
        queue.push({ record, resolve, reject });
        flushQueue();
      });
    },
    async appendTranscript(chunk: TranscriptChunk): Promise<AppendOutcome> {
      assertTranscriptChunk(chunk);
      sessionIdToSegment(chunk.sessionId);
      return new Promise((resolve, reject) => {
        queue.push({ chunk: { ...chunk }, resolve, reject });
        flushQueue();
      });
    },
    readTranscript,
    appendBatch,
    read,
    list,
    delete: deleteSession,
    describe: () => ({
      location: locationOf(options),
      details: { branch: options.branch, folder: options.path || '(repository root)', cache: repo.gitDir },
    }),
    probe,
    /**
     * End the work still under way: git processes are stopped (a push is all or nothing on the server), and
     * writes not yet pushed fail, so whoever still holds them (the outbox) keeps them for the next flush.
     */
    async close(): Promise<void> {
      closing.abort();
      for (const p of queue.splice(0))
        p.reject(new RunbookError('STORAGE_WRITE_FAILED', `${options.repository}: the backend was closed`));
      await chain;
    },
  };
}

/** Forget the local cache (it is rebuilt from the server on next use). */
export function removeCache(backendCacheDir: string): void {
  rmSync(backendCacheDir, { recursive: true, force: true });
}
