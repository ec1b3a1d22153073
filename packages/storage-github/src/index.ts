import path from 'node:path';
import { defineBackend } from '@runbook/storage-core';
import { githubConfigSchema, type GitHubBackendConfig } from './config.js';
import { createGitHubBackend } from './github-backend.js';

export { createGitHubBackend } from './github-backend.js';
export type { GitHubBackendOptions, GitHubRequestCounts, GitHubSessionBackend } from './github-backend.js';
export {
  DEFAULT_API_URL,
  DEFAULT_BRANCH,
  DEFAULT_PATH,
  GitHubConfigError,
  githubConfigSchema,
  parseGitHubConfig,
  webUrlOfApi,
} from './config.js';
export type { GitHubBackendConfig, GitHubConfigIssue } from './config.js';
export { eventsPath, EVENTS_FILE } from './layout.js';

/** Where the cache repositories live under the local base directory. */
export const CACHE_FOLDER = path.join('cache', 'github');

/**
 * `backend: github`: sessions as `<path>/<yyyy>/<mm>/<session>/events.ndjson` on one branch of a git
 * repository, written through git over HTTPS with a token. Options live under
 * `integrations.claude.sessionStorage.github`.
 */
export const githubBackend = defineBackend<GitHubBackendConfig>({
  name: 'github',
  configKey: 'github',
  configSchema: githubConfigSchema,
  create: (config, context) =>
    createGitHubBackend({ ...config, cacheDir: path.join(context.localBaseDir, CACHE_FOLDER), env: context.env }),
});

export default githubBackend;
