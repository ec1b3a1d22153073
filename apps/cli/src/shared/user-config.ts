import { homedir } from 'node:os';
import path from 'node:path';
import { loadRunbookConfig, type RunbookConfig } from '@runbook/storage-core';

/**
 * `~/.runbook/config.yaml`: settings only the user can make, never a project. What a committed
 * project config is not trusted with (where `learn` sends the API key: `llm.baseUrl`) is read from here.
 */
export function userConfigFile(home: string = homedir()): string {
  return path.join(home, '.runbook', 'config.yaml');
}

/** The user's own config; an empty document when there is none. */
export async function loadUserConfig(env: NodeJS.ProcessEnv, home: string = homedir()): Promise<RunbookConfig> {
  return loadRunbookConfig({ projectDir: home, env });
}

/** A string at `llm.baseUrl` of a config document, or undefined. */
export function llmBaseUrlOf(document: Record<string, unknown>): string | undefined {
  const llm = document.llm;
  if (llm === null || typeof llm !== 'object' || Array.isArray(llm)) return undefined;
  const value = (llm as Record<string, unknown>).baseUrl;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
