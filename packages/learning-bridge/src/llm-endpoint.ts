import { configError } from '@runbook/storage-core';

/** The Messages API endpoint used when no trusted source names another. */
export const DEFAULT_LLM_BASE_URL = 'https://api.anthropic.com';

/** Where an `llm.baseUrl` may come from, most trusted first. */
export interface LlmEndpointSources {
  /** The environment (`ANTHROPIC_BASE_URL`): set by the user. */
  env?: NodeJS.ProcessEnv;
  /** `llm.baseUrl` of the user's own config (`~/.runbook/config.yaml`). */
  user?: string;
  /** `llm.baseUrl` of the project's config: anyone who can commit to the repository wrote it. */
  project?: string;
  /** The project's config file, for the error message. */
  projectFile?: string;
  /** What to call the user's config in the error message. */
  userFile?: string;
}

function same(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const url = new URL(u);
      return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

/**
 * The endpoint `learn` may send the API key and the session to. A project's config is untrusted: it may
 * name only the default endpoint, or the one the user chose already; any other endpoint must come from
 * `ANTHROPIC_BASE_URL` or the user's own config, else a one-line `CONFIG_INVALID` naming `llm.baseUrl`.
 * Undefined means the default.
 */
export function trustedLlmBaseUrl(sources: LlmEndpointSources): string | undefined {
  const fromEnv = sources.env?.ANTHROPIC_BASE_URL || undefined;
  const trusted = fromEnv ?? sources.user;
  const project = sources.project;
  if (project === undefined || same(project, DEFAULT_LLM_BASE_URL) || (trusted !== undefined && same(project, trusted)))
    return trusted;
  const where = sources.userFile ?? '~/.runbook/config.yaml';
  throw configError(
    sources.projectFile,
    'llm.baseUrl',
    `a project's config cannot send the API key and sessions to ${project}; to use that endpoint, set llm.baseUrl in ${where} or ANTHROPIC_BASE_URL`,
  );
}
