import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isRunbookError, loadRunbookConfig } from '@runbook/storage-core';
import {
  DEFAULT_LIMITS,
  ingestSettingsFromConfig,
  parseHookEvent,
  parseLimitsConfig,
  parseRedactionConfig,
} from '../src/index.js';
import { fake } from './helpers/fake-secrets.js';

const FILE = '/srv/app/.runbook/config.yaml';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isRunbookError(error, 'CONFIG_INVALID')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

async function projectWith(yaml: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-redaction-config-'));
  mkdirSync(path.join(dir, '.runbook'));
  writeFileSync(path.join(dir, '.runbook', 'config.yaml'), yaml);
  return loadRunbookConfig({ projectDir: dir, env: {} });
}

describe('integrations.claude.redaction', () => {
  test('defaults: on, built-in detectors, no e-mails', () => {
    expect(parseRedactionConfig(undefined)).toEqual({
      enabled: true,
      emails: false,
      patterns: [],
      allow: [],
      disable: [],
    });
  });

  test.each([
    [
      {
        patterns: [
          { regex: 'a', label: 'x' },
          { regex: 'b', label: 'y' },
          { regex: '(unclosed', label: 'z' },
        ],
      },
      'integrations.claude.redaction.patterns.2.regex: invalid regular expression "(unclosed"',
    ],
    [
      { patterns: [{ regex: 'x*', label: 'empty' }] },
      'integrations.claude.redaction.patterns.0.regex: regular expression "x*" matches empty text',
    ],
    [{ patterns: [{ regex: 'abc' }] }, 'integrations.claude.redaction.patterns.0.label: must be a short name'],
    [
      { patterns: [{ regex: 'abc', label: 'has space' }] },
      'integrations.claude.redaction.patterns.0.label: must be a short name',
    ],
    [{ patterns: ['abc'] }, 'integrations.claude.redaction.patterns.0: must be a mapping, got "abc"'],
    [{ patterns: { regex: 'abc' } }, 'integrations.claude.redaction.patterns: must be a list, got a mapping'],
    [{ allow: [{ regex: '[' }] }, 'integrations.claude.redaction.allow.0.regex: invalid regular expression "["'],
    [{ allow: [42] }, 'integrations.claude.redaction.allow.0: must be a mapping, got 42'],
    [{ enabled: 'yes' }, 'integrations.claude.redaction.enabled: must be true or false, got "yes"'],
    [
      { disable: ['aws'] },
      'integrations.claude.redaction.disable.0: must name a built-in detector (aws-secret-key, aws-access-key',
    ],
    [
      { pattern: [] },
      'integrations.claude.redaction.pattern: is not a known option (known: enabled, emails, patterns, allow, disable)',
    ],
    ['on', 'integrations.claude.redaction: must be a mapping, got "on"'],
  ])('%j is a config error naming the key', (section, message) => {
    const text = errorOf(() => parseRedactionConfig(section, FILE));
    expect(text).toContain(`${FILE}: ${message}`);
    expect(text).not.toContain('\n');
  });

  test('a bad pattern in .runbook/config.yaml is reported with the file and key', async () => {
    const config = await projectWith(
      [
        'integrations:',
        '  claude:',
        '    redaction:',
        '      patterns:',
        "        - { regex: 'ACME-\\d+', label: acme }",
        "        - { regex: 'x{2,1}', label: broken }",
        '',
      ].join('\n'),
    );
    const text = errorOf(() => ingestSettingsFromConfig(config));
    expect(text).toMatch(
      /^\/.*\/\.runbook\/config\.yaml: integrations\.claude\.redaction\.patterns\.1\.regex: invalid regular expression "x\{2,1\}": /,
    );
  });

  test('settings from config: extra patterns and allowed values reach the redactor; enabled: false turns it off', async () => {
    const on = await projectWith(
      [
        'integrations:',
        '  claude:',
        '    redaction:',
        '      patterns:',
        "        - { regex: 'ACME-[0-9]{6}', label: acme-license }",
        '      allow:',
        `        - ${fake.stripeLive}`,
        '',
      ].join('\n'),
    );
    const settings = ingestSettingsFromConfig(on);
    const prompt = `license ACME-123456 key ${fake.stripeLive} token ${fake.githubClassic}`;
    const result = parseHookEvent(
      JSON.stringify({ session_id: 's', hook_event_name: 'UserPromptSubmit', prompt }),
      settings,
    );
    expect(result.ok && result.record.payload.prompt).toBe(
      `license [REDACTED:acme-license] key ${fake.stripeLive} token [REDACTED:github-token]`,
    );
    expect(result.ok && result.record.redactions).toEqual({ 'acme-license': 1, 'github-token': 1 });

    const off = await projectWith(
      ['integrations:', '  claude:', '    redaction:', '      enabled: false', ''].join('\n'),
    );
    const plain = parseHookEvent(
      JSON.stringify({ session_id: 's', hook_event_name: 'UserPromptSubmit', prompt }),
      ingestSettingsFromConfig(off),
    );
    expect(plain.ok && plain.record.payload.prompt).toBe(prompt);
    expect(plain.ok && plain.record.redactions).toBeUndefined();
  });
});

describe('integrations.claude.limits', () => {
  test('defaults when absent; sizes as bytes or with units', () => {
    expect(parseLimitsConfig(undefined)).toEqual(DEFAULT_LIMITS);
    expect(parseLimitsConfig({ maxInputBytes: '8MiB', maxEventBytes: 512 * 1024, maxDepth: 32 })).toEqual({
      maxInputBytes: 8 * 1024 * 1024,
      maxEventBytes: 512 * 1024,
      maxDepth: 32,
    });
    expect(parseLimitsConfig({ maxEventBytes: '1.5 MB' }).maxEventBytes).toBe(1_500_000);
  });

  test.each([
    [{ maxInputBytes: 'lots' }, 'integrations.claude.limits.maxInputBytes: must be a size from 1KiB to 1GiB'],
    [{ maxEventBytes: 10 }, 'integrations.claude.limits.maxEventBytes: must be a size from 1KiB to 1GiB'],
    [{ maxEventBytes: '2GiB' }, 'integrations.claude.limits.maxEventBytes: must be a size from 1KiB to 1GiB'],
    [{ maxDepth: 0 }, 'integrations.claude.limits.maxDepth: must be a whole number from 1 to 1000, got 0'],
    [{ maxDepth: 2.5 }, 'integrations.claude.limits.maxDepth: must be a whole number from 1 to 1000, got 2.5'],
    [{ maxBytes: 1 }, 'integrations.claude.limits.maxBytes: is not a known option'],
  ])('%j is a config error naming the key', (section, message) => {
    expect(errorOf(() => parseLimitsConfig(section, FILE))).toContain(`${FILE}: ${message}`);
  });

  test('limits from config bound what is stored', async () => {
    const config = await projectWith(
      ['integrations:', '  claude:', '    limits:', '      maxEventBytes: 4KiB', '      maxDepth: 3', ''].join('\n'),
    );
    const settings = ingestSettingsFromConfig(config);
    const payload = {
      session_id: 's',
      hook_event_name: 'PostToolUse',
      tool_response: { stdout: 'x'.repeat(20_000), nested: { a: { b: { c: 1 } } } },
    };
    const result = parseHookEvent(JSON.stringify(payload), settings);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Buffer.byteLength(JSON.stringify(result.record.payload))).toBeLessThanOrEqual(4096);
      expect(result.record.truncated).toEqual(
        expect.arrayContaining(['tool_response.stdout', 'tool_response.nested.a']),
      );
    }
  });
});
