import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createGitHubBackend, type GitHubBackendOptions, type GitHubSessionBackend } from '../../src/index.js';
import { startGitServer, type GitServer, type GitServerOptions } from './git-server.mjs';

export const TOKEN = 'ghp_test0000000000000000000000000000secret';

export interface TestServer {
  server: GitServer;
  /** A fresh, empty repository on the server. */
  newRepo(): string;
  /** A backend on `remoteUrl` with its own fresh cache (a separate "machine"). */
  backend(remoteUrl: string, overrides?: Partial<GitHubBackendOptions>): GitHubSessionBackend;
  /** A scratch folder removed after the file's tests. */
  scratch(prefix: string): string;
}

/** Start one real git server for the test file; stop it and remove every scratch folder afterwards. */
export function useGitServer(options: Partial<GitServerOptions> = {}): TestServer {
  let server: GitServer | undefined;
  let repos = 0;
  const scratches: string[] = [];
  beforeAll(async () => {
    server = await startGitServer({ token: TOKEN, ...options });
  });
  // Removing the server's repositories and the caches (many small files) takes seconds on a busy machine.
  afterAll(async () => {
    await server?.close();
    await Promise.all(scratches.map((dir) => rm(dir, { recursive: true, force: true })));
  }, 60_000);
  const scratch = (prefix: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    scratches.push(dir);
    return dir;
  };
  return {
    get server() {
      return server!;
    },
    newRepo: () => server!.createRepo(`sessions-${process.pid}-${++repos}`),
    scratch,
    backend(remoteUrl, overrides = {}) {
      return createGitHubBackend({
        remoteUrl,
        repository: 'acme/sessions',
        token: TOKEN,
        branch: 'runbook-sessions',
        path: 'sessions',
        apiUrl: 'https://api.github.com',
        maxRateLimitWaitMs: 60_000,
        cacheDir: scratch('runbook-github-cache-'),
        env: { PATH: process.env.PATH, HOME: scratch('runbook-github-home-') },
        ...overrides,
      });
    },
  };
}
