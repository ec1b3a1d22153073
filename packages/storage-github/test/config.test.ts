import { loadRunbookConfig, parseBackendConfig } from '@runbook/storage-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import githubBackend, { parseGitHubConfig } from '../src/index.js';

describe('the github config section', () => {
  test('owner/name becomes a github.com clone URL with the defaults', () => {
    expect(parseGitHubConfig({ repository: 'acme/agent-sessions', token: 'ghp_x' })).toEqual({
      remoteUrl: 'https://github.com/acme/agent-sessions.git',
      repository: 'acme/agent-sessions',
      token: 'ghp_x',
      branch: 'runbook-sessions',
      path: 'sessions',
      apiUrl: 'https://api.github.com',
      maxRateLimitWaitMs: 60_000,
    });
  });

  test('GitHub Enterprise: owner/name resolves against the host of apiUrl', () => {
    const config = parseGitHubConfig({
      repository: 'sre/sessions',
      token: 't',
      apiUrl: 'https://ghe.example.com/api/v3/',
    });
    expect(config.remoteUrl).toBe('https://ghe.example.com/sre/sessions.git');
  });

  test('a git URL of any host is used as it is; path and branch are taken', () => {
    const config = parseGitHubConfig({
      repository: 'https://gitlab.example.com/group/sub/sessions.git',
      token: 't',
      branch: 'ops/sessions',
      path: '/agents/claude/',
    });
    expect(config).toMatchObject({
      remoteUrl: 'https://gitlab.example.com/group/sub/sessions.git',
      repository: 'sub/sessions',
      branch: 'ops/sessions',
      path: 'agents/claude',
    });
  });

  test.each([
    [{ token: 't' }, 'repository', 'is required'],
    [{ repository: 'acme/s' }, 'token', 'is required'],
    [{ repository: 'acme/s', token: '' }, 'token', 'is required'],
    [{ repository: 'git@github.com:acme/s.git', token: 't' }, 'repository', 'SSH address'],
    [{ repository: 'http://github.com/acme/s.git', token: 't' }, 'repository', 'https://'],
    [
      { repository: 'https://user:ghp_secret@github.com/acme/s.git', token: 't' },
      'repository',
      'must not carry a user name or token',
    ],
    [{ repository: 'acme', token: 't' }, 'repository', 'owner/name'],
    [{ repository: 'acme/s', token: 't', branch: 'bad..name' }, 'branch', 'not a valid branch name'],
    [{ repository: 'acme/s', token: 't', path: 'a/../b' }, 'path', 'plain folder path'],
    [{ repository: 'acme/s', token: 't', path: '.git/x' }, 'path', 'plain folder path'],
    [{ repository: 'acme/s', token: 't', tokne: 'x' }, 'tokne', 'is not a github option'],
  ])('%j is refused, naming %s', (section, key, message) => {
    let error: unknown;
    try {
      parseGitHubConfig(section);
    } catch (caught) {
      error = caught;
    }
    expect((error as { issues: Array<{ path: string[]; message: string }> }).issues[0]).toMatchObject({
      path: [key],
      message: expect.stringContaining(message),
    });
  });

  test('through the config loader: an unset GITHUB_TOKEN is one error naming the key, and the token is never echoed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-github-config-'));
    try {
      mkdirSync(path.join(dir, '.runbook'));
      writeFileSync(
        path.join(dir, '.runbook/config.yaml'),
        'integrations:\n  claude:\n    sessionStorage:\n      backend: github\n      github:\n        repository: acme/sessions\n        token: ${GITHUB_TOKEN}\n',
      );
      const missing = await loadRunbookConfig({ projectDir: dir, env: {} })
        .then((config) => parseBackendConfig(githubBackend, config))
        .then(
          () => 'no error',
          (error: Error) => error.message,
        );
      expect(missing).toMatch(/github\.token/);
      const config = await loadRunbookConfig({ projectDir: dir, env: { GITHUB_TOKEN: 'ghp_from_env' } });
      expect(parseBackendConfig(githubBackend, config)).toMatchObject({
        token: 'ghp_from_env',
        repository: 'acme/sessions',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
