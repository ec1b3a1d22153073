import { configError } from '@runbook/storage-core';
import { createAnthropicDrafter } from './anthropic-drafter.js';
import type { LearningDrafter } from './drafter.js';
import { createOfflineDrafter } from './offline-drafter.js';

/** The `llm:` section of `.runbook/config.yaml`. */
export type LlmSettings =
  | { provider: 'offline' }
  | { provider: 'anthropic'; model: string; maxTokens?: number; baseUrl?: string };

const PROVIDERS = ['offline', 'anthropic'] as const;

/**
 * Read `llm:` from a parsed config document. No section means offline. Errors are one line naming the
 * key (`CONFIG_INVALID`), e.g. `.runbook/config.yaml: llm.model: is required when llm.provider is anthropic`.
 */
export function parseLlmSettings(document: Record<string, unknown>, file?: string): LlmSettings {
  const section = document.llm;
  if (section === undefined || section === null) return { provider: 'offline' };
  if (typeof section !== 'object' || Array.isArray(section)) throw configError(file, 'llm', 'must be a mapping');
  const llm = section as Record<string, unknown>;
  const provider = llm.provider ?? 'offline';
  if (typeof provider !== 'string' || !(PROVIDERS as readonly string[]).includes(provider)) {
    throw configError(file, 'llm.provider', `must be one of ${PROVIDERS.join(', ')} (got ${JSON.stringify(provider)})`);
  }
  if (provider === 'offline') return { provider };
  const model = llm.model;
  if (model === undefined || model === null || model === '')
    throw configError(file, 'llm.model', 'is required when llm.provider is anthropic');
  if (typeof model !== 'string') throw configError(file, 'llm.model', 'must be a string');
  const settings: LlmSettings = { provider: 'anthropic', model };
  if (llm.maxTokens !== undefined) {
    if (typeof llm.maxTokens !== 'number' || !Number.isInteger(llm.maxTokens) || llm.maxTokens <= 0)
      throw configError(file, 'llm.maxTokens', 'must be a positive integer');
    settings.maxTokens = llm.maxTokens;
  }
  if (llm.baseUrl !== undefined) {
    if (typeof llm.baseUrl !== 'string' || !/^https?:\/\//.test(llm.baseUrl))
      throw configError(file, 'llm.baseUrl', 'must be an http(s) URL');
    settings.baseUrl = llm.baseUrl;
  }
  return settings;
}

/** The drafter the settings ask for. Anthropic without `ANTHROPIC_API_KEY` falls back to offline, with a note. */
export function drafterFromSettings(
  settings: LlmSettings,
  env: NodeJS.ProcessEnv = process.env,
): { drafter: LearningDrafter; notes: string[] } {
  if (settings.provider === 'offline') return { drafter: createOfflineDrafter(), notes: [] };
  const apiKey = env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    return {
      drafter: createOfflineDrafter(),
      notes: ['llm.provider is anthropic but ANTHROPIC_API_KEY is not set; used the offline drafter'],
    };
  }
  return {
    drafter: createAnthropicDrafter({
      model: settings.model,
      apiKey,
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
      ...(settings.maxTokens ? { maxTokens: settings.maxTokens } : {}),
    }),
    notes: [],
  };
}
