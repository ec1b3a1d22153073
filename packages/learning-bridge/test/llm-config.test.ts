import { describe, expect, test } from 'vitest';
import { isRunbookError } from '@runbook/storage-core';
import { drafterFromSettings, parseLlmSettings } from '../src/index.js';

const FILE = '/p/.runbook/config.yaml';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseLlmSettings', () => {
  test('no llm section means offline', () => {
    expect(parseLlmSettings({}, FILE)).toEqual({ provider: 'offline' });
    expect(parseLlmSettings({ llm: { provider: 'offline' } }, FILE)).toEqual({ provider: 'offline' });
  });

  test('anthropic with a model', () => {
    expect(
      parseLlmSettings({ llm: { provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 4000 } }, FILE),
    ).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 4000 });
  });

  test.each([
    [{ llm: 'anthropic' }, `${FILE}: llm: must be a mapping`],
    [{ llm: { provider: 'openai' } }, `${FILE}: llm.provider: must be one of offline, anthropic (got "openai")`],
    [{ llm: { provider: 'anthropic' } }, `${FILE}: llm.model: is required when llm.provider is anthropic`],
    [{ llm: { provider: 'anthropic', model: 4 } }, `${FILE}: llm.model: must be a string`],
    [
      { llm: { provider: 'anthropic', model: 'm', maxTokens: -1 } },
      `${FILE}: llm.maxTokens: must be a positive integer`,
    ],
    [
      { llm: { provider: 'anthropic', model: 'm', baseUrl: 'localhost' } },
      `${FILE}: llm.baseUrl: must be an http(s) URL`,
    ],
  ])('%j is a config error naming the key', (document, message) => {
    const error = errorOf(() => parseLlmSettings(document as Record<string, unknown>, FILE));
    expect(isRunbookError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toBe(message);
  });
});

describe('drafterFromSettings', () => {
  test('anthropic without ANTHROPIC_API_KEY uses the offline drafter and says why', () => {
    const { drafter, notes } = drafterFromSettings({ provider: 'anthropic', model: 'm' }, {});
    expect(drafter.name).toBe('offline');
    expect(notes).toEqual(['llm.provider is anthropic but ANTHROPIC_API_KEY is not set; used the offline drafter']);
  });

  test('anthropic with a key uses the model', () => {
    expect(
      drafterFromSettings({ provider: 'anthropic', model: 'claude-x' }, { ANTHROPIC_API_KEY: 'k' }).drafter.name,
    ).toBe('anthropic:claude-x');
  });
});
