#!/usr/bin/env node
// What storing hook events in a git repository costs with `backend: github`: 1,000 events across 10
// sessions (by default) sent to a real git server on 127.0.0.1 (`git http-backend` behind a token check),
// three ways: as one flush (`appendBatch`, what `sync` and the background drainer do), as that many
// concurrent `append` calls (coalesced while a push is under way), and one awaited `append` at a time
// (the worst case; --sequential N events, default 50). Counts HTTP requests, git fetches and pushes (a
// push is one commit) and times each.
//
//   pnpm bench:github [--events 1000] [--sessions 10] [--sequential 50]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { flag, root } from './lib.mjs';

const events = Number(flag('events', 1000));
const sessions = Number(flag('sessions', 10));
const sequential = Number(flag('sequential', 50));
const dist = (pkg) => path.join(root, 'packages', pkg, 'dist/index.js');
for (const pkg of ['storage-core', 'storage-github']) {
  if (!existsSync(dist(pkg))) {
    console.error(`bench:github: packages/${pkg}/dist is missing; run \`pnpm --filter @runbook/${pkg} build\` first`);
    process.exit(1);
  }
}
const { createRecord } = await import(pathToFileURL(dist('storage-core')).href);
const { createGitHubBackend } = await import(pathToFileURL(dist('storage-github')).href);
const { startGitServer } = await import(
  pathToFileURL(path.join(root, 'packages/storage-github/test/helpers/git-server.mjs')).href
);

const TOKEN = 'bench-token-0000000000000000000000';
const server = await startGitServer({ token: TOKEN });
const scratch = mkdtempSync(path.join(tmpdir(), 'runbook-bench-github-'));
let repos = 0;

function makeEvents(count) {
  const base = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const sessionId = `bench-session-${i % sessions}`;
    return createRecord({
      sessionId,
      eventName: 'PostToolUse',
      observedAt: new Date(base + i),
      payload: {
        session_id: sessionId,
        tool_name: 'Bash',
        tool_input: { command: `kubectl get pods -n payments # ${i}` },
        tool_response: { stdout: 'x'.repeat(400) },
      },
    });
  });
}

async function measure(label, count, send) {
  const url = server.createRepo(`bench-${++repos}`);
  const backend = createGitHubBackend({
    remoteUrl: url,
    repository: 'bench/sessions',
    token: TOKEN,
    branch: 'runbook-sessions',
    path: 'sessions',
    apiUrl: 'https://api.github.com',
    maxRateLimitWaitMs: 60_000,
    cacheDir: path.join(scratch, `cache-${repos}`),
    env: { PATH: process.env.PATH, HOME: scratch },
  });
  const records = makeEvents(count);
  const before = server.counts.requests;
  const started = performance.now();
  await send(backend, records);
  const ms = performance.now() - started;
  const requests = server.counts.requests - before;
  const { fetches, blobFetches, pushes, rejectedPushes } = backend.requests;
  await backend.close();
  console.log(
    `${label.padEnd(44)} ${String(count).padStart(5)} events  ${String(requests).padStart(5)} HTTP requests  ${String(pushes).padStart(4)} pushes (= commits, ${rejectedPushes} refused)  ${String(fetches + blobFetches).padStart(4)} fetches  ${(ms / 1000).toFixed(1)} s`,
  );
}

try {
  console.log(`${events} events across ${sessions} sessions, git ${server.url}`);
  await measure('one flush (appendBatch: sync, drainer)', events, (b, records) => b.appendBatch(records));
  await measure('concurrent append() calls (coalesced)', events, (b, records) =>
    Promise.all(records.map((r) => b.append(r))),
  );
  if (sequential > 0) {
    await measure('one awaited append() at a time (worst case)', sequential, async (b, records) => {
      for (const r of records) await b.append(r);
    });
  }
} finally {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}
