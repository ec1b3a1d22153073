import type { ConfigParser } from '@runbook/storage-core';

export const DEFAULT_BRANCH = 'runbook-sessions';
export const DEFAULT_PATH = 'sessions';
export const DEFAULT_API_URL = 'https://api.github.com';

/** `integrations.claude.sessionStorage.github`. */
export interface GitHubBackendConfig {
  /** The HTTPS clone URL every request goes to (derived from `owner/name` and `apiUrl` when given so). */
  remoteUrl: string;
  /** `owner/name` when the repository was given so or its URL ends that way; for messages. */
  repository: string;
  /** Sent as the HTTP Basic password of every git request; never stored or printed. */
  token: string;
  branch: string;
  /** Folder inside the repository that holds `<yyyy>/<mm>/<session>/events.ndjson`, no leading or trailing `/`. */
  path: string;
  apiUrl: string;
  /** Longest wait for a rate limit to pass before a flush gives up and leaves the events waiting (ms). */
  maxRateLimitWaitMs: number;
}

/** One problem, shaped like a zod issue so storage-core's `parseBackendConfig` words it like every other backend's. */
export interface GitHubConfigIssue {
  path: string[];
  code: 'invalid_type' | 'custom';
  message: string;
  expected?: string;
}

/** Thrown by {@link githubConfigSchema}; carries `issues` as schema libraries do. */
export class GitHubConfigError extends Error {
  readonly issues: GitHubConfigIssue[];
  constructor(issue: GitHubConfigIssue) {
    super(`${issue.path.join('.')}: ${issue.message}`);
    this.name = 'GitHubConfigError';
    this.issues = [issue];
  }
}

const KNOWN_KEYS = ['repository', 'token', 'branch', 'path', 'apiUrl', 'maxRateLimitWaitMs'];
const OWNER_NAME = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?$/;
/** Branch names git accepts and a person would type: no spaces, `..`, `~^:?*[\`, leading `-` or `/`. */
const BRANCH = /^(?!-)(?!\/)(?!.*\.\.)(?!.*\/\/)(?!.*\/$)(?!.*\.lock$)(?!.*@\{)[^\s~^:?*[\\\x00-\x1f\x7f]+$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function fail(key: string, message: string): never {
  throw new GitHubConfigError({ path: key ? [key] : [], code: 'custom', message });
}

function wrongType(key: string, expected: string): never {
  throw new GitHubConfigError({ path: [key], code: 'invalid_type', expected, message: 'Invalid input' });
}

function optionalString(section: Record<string, unknown>, key: string): string | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') wrongType(key, 'string');
  return value.trim() === '' ? undefined : value.trim();
}

function parseHttpUrl(key: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(key, `must be an https:// URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    fail(key, `must be an https:// URL (the token must not travel in clear text), got ${JSON.stringify(raw)}`);
  }
  if (url.username || url.password) fail(key, 'must not carry a user name or token: put the token under token');
  if (url.search || url.hash) fail(key, `must not carry a query or fragment: ${JSON.stringify(raw)}`);
  return url;
}

/** `https://api.github.com` → `https://github.com`; `https://ghe.example.com/api/v3` → `https://ghe.example.com`. */
export function webUrlOfApi(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return `${url.protocol}//github.com`;
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/, '');
  return `${url.protocol}//${url.host}${base}`;
}

function parseRepository(raw: string, apiUrl: string): { remoteUrl: string; repository: string } {
  const short = OWNER_NAME.exec(raw);
  if (short && !raw.includes(':')) {
    const repository = `${short[1]}/${short[2]}`;
    return { remoteUrl: `${webUrlOfApi(apiUrl)}/${repository}.git`, repository };
  }
  if (/^[\w.-]+@[\w.-]+:/.test(raw) || raw.startsWith('ssh://')) {
    fail(
      'repository',
      `${JSON.stringify(raw)} is an SSH address; the token works over HTTPS: give owner/name or an https:// URL`,
    );
  }
  if (!/^https?:\/\//.test(raw))
    fail('repository', `must be owner/name or an https:// git URL, got ${JSON.stringify(raw)}`);
  const url = parseHttpUrl('repository', raw);
  const parts = url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  if (parts.length === 0)
    fail('repository', `names no repository (expected https://host/owner/name.git): ${JSON.stringify(raw)}`);
  return { remoteUrl: url.href.replace(/\/+$/, ''), repository: parts.slice(-2).join('/') };
}

/** Validate and default the `github:` section. Throws {@link GitHubConfigError} naming the first bad key. */
export function parseGitHubConfig(value: unknown): GitHubBackendConfig {
  if (value === undefined || value === null) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GitHubConfigError({ path: [], code: 'invalid_type', expected: 'object', message: 'Invalid input' });
  }
  const section = value as Record<string, unknown>;
  const unknownKey = Object.keys(section).find((key) => !KNOWN_KEYS.includes(key));
  if (unknownKey !== undefined) fail(unknownKey, `is not a github option (known: ${KNOWN_KEYS.join(', ')})`);

  const apiRaw = optionalString(section, 'apiUrl') ?? DEFAULT_API_URL;
  const apiUrl = parseHttpUrl('apiUrl', apiRaw).href.replace(/\/+$/, '');

  const repositoryRaw = optionalString(section, 'repository');
  if (repositoryRaw === undefined) fail('repository', 'is required (owner/name or an https:// git URL)');
  const { remoteUrl, repository } = parseRepository(repositoryRaw, apiUrl);

  const token = optionalString(section, 'token');
  if (token === undefined)
    fail('token', 'is required (usually token: ${GITHUB_TOKEN}, with the variable set in the environment)');
  if (/[\s]/.test(token)) fail('token', 'must not contain spaces or line breaks');

  const branch = optionalString(section, 'branch') ?? DEFAULT_BRANCH;
  if (!BRANCH.test(branch)) fail('branch', `is not a valid branch name: ${JSON.stringify(branch)}`);

  const pathValue = section.path;
  if (pathValue !== undefined && pathValue !== null && typeof pathValue !== 'string') wrongType('path', 'string');
  const folder = typeof pathValue === 'string' ? pathValue.trim().replace(/^\/+|\/+$/g, '') : DEFAULT_PATH;
  if (
    folder !== '' &&
    folder
      .split('/')
      .some(
        (part) =>
          part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git' || /[\\\x00-\x1f]/.test(part),
      )
  ) {
    fail('path', `must be a plain folder path without empty, ".", ".." or ".git" parts: ${JSON.stringify(pathValue)}`);
  }

  const waitValue = section.maxRateLimitWaitMs ?? 60_000;
  if (typeof waitValue !== 'number') wrongType('maxRateLimitWaitMs', 'number');
  if (!Number.isInteger(waitValue) || waitValue < 0)
    fail('maxRateLimitWaitMs', `must be a whole number of milliseconds, got ${waitValue}`);

  return { remoteUrl, repository, token, branch, path: folder, apiUrl, maxRateLimitWaitMs: waitValue };
}

/** The section's parser, for `defineBackend({ configSchema })` and storage-core's `parseBackendConfig`. */
export const githubConfigSchema: ConfigParser<GitHubBackendConfig> = { parse: parseGitHubConfig };
