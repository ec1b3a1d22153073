import { mkdirSync, mkdtempSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { defineBackend, isRunbookError, loadRunbookConfig, parseBackendConfig, resolveProjectDir } from '../src/index.js';

function project(yaml?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-config-'));
  mkdirSync(path.join(dir, '.runbook'));
  if (yaml !== undefined) writeFileSync(path.join(dir, '.runbook', 'config.yaml'), yaml);
  return dir;
}

async function loadError(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await loadRunbookConfig({ projectDir: project(yaml), env });
  } catch (error) {
    expect(isRunbookError(error, 'CONFIG_INVALID')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

describe('loadRunbookConfig', () => {
  test('no file: the documented defaults', async () => {
    const config = await loadRunbookConfig({ projectDir: project() });
    expect(config.file).toBeUndefined();
    expect(config.sessionStorage).toEqual({ backend: 'local', mirrorLocal: true, localBaseDir: '.runbook/hooks/claude' });
  });

  test('reads the section, keeps backend sections and leaves other top-level sections alone', async () => {
    const yaml = [
      'llm:',
      '  provider: anthropic',
      '  model: claude-sonnet-4-5',
      'providers:',
      '  pagerduty: { token: "${PD_TOKEN}" }',
      'knowledge:',
      '  sources: [runbooks]',
      'integrations:',
      '  claude:',
      '    sessionStorage:',
      '      backend: s3',
      '      mirrorLocal: false',
      '      s3:',
      '        bucket: ${BUCKET}',
      '        prefix: teams/${TEAM:-platform}',
      '',
    ].join('\n');
    const config = await loadRunbookConfig({ projectDir: project(yaml), env: { BUCKET: 'sessions-bucket' } });
    expect(config.sessionStorage).toEqual({
      backend: 's3',
      mirrorLocal: false,
      localBaseDir: '.runbook/hooks/claude',
      s3: { bucket: 'sessions-bucket', prefix: 'teams/platform' },
    });
    expect(config.document.llm).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(config.document.knowledge).toEqual({ sources: ['runbooks'] });
    // An unset variable outside our section is not our error.
    expect((config.document.providers as { pagerduty: { token: string } }).pagerduty.token).toBe('');
  });

  test.each([
    ['integrations:\n  claude:\n    sessionStorage:\n      mirrorLocal: "yes"\n', 'integrations.claude.sessionStorage.mirrorLocal: must be boolean, got string'],
    ['integrations:\n  claude:\n    sessionStorage:\n      backend: ""\n', 'integrations.claude.sessionStorage.backend: must not be empty'],
    ['integrations:\n  claude:\n    sessionStorage: [local]\n', 'integrations.claude.sessionStorage: must be a mapping'],
    ['- just\n- a list\n', '(top level): must be a mapping of sections'],
    ['integrations:\n  claude:\n    sessionStorage:\n      localBaseDir: ${NOPE}/x\n', 'integrations.claude.sessionStorage.localBaseDir: environment variable NOPE is not set'],
  ])('names the file, the key and the problem: %j', async (yaml, expected) => {
    const message = await loadError(yaml);
    expect(message).toContain('.runbook/config.yaml');
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  test('invalid YAML names the line', async () => {
    const message = await loadError('integrations:\n  claude:\n    sessionStorage:\n      backend: [unclosed\n');
    expect(message).toMatch(/config\.yaml:\d+: invalid YAML/);
  });

  test('a parse cache is reused until the file changes', async () => {
    const dir = project('integrations:\n  claude:\n    sessionStorage:\n      backend: local\n      localBaseDir: first\n');
    const cacheDir = path.join(dir, '.runbook', 'cache');
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('first');
    expect(existsSync(path.join(cacheDir, 'config.json'))).toBe(true);
    const file = path.join(dir, '.runbook', 'config.yaml');
    writeFileSync(file, 'integrations:\n  claude:\n    sessionStorage:\n      backend: local\n      localBaseDir: second-value\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('second-value');
  });
});

describe('parseBackendConfig', () => {
  const backend = defineBackend<{ bucket: string }>({
    name: 'demo',
    configKey: 'demo',
    configSchema: {
      parse(value: unknown) {
        const bucket = (value as { bucket?: unknown }).bucket;
        if (typeof bucket !== 'string') {
          throw Object.assign(new Error('bad'), { issues: [{ path: ['bucket'], code: 'invalid_type', expected: 'string', message: 'x' }] });
        }
        return { bucket };
      },
    },
    create: () => {
      throw new Error('not used');
    },
  });

  test("turns a backend's validation failure into a config error naming the key", async () => {
    const config = await loadRunbookConfig({ projectDir: project('integrations:\n  claude:\n    sessionStorage:\n      backend: demo\n') });
    expect(() => parseBackendConfig(backend, config)).toThrow(/config\.yaml: integrations\.claude\.sessionStorage\.demo\.bucket: is required \(string\)$/);
  });

  test('passes a valid section through', async () => {
    const config = await loadRunbookConfig({ projectDir: project('integrations:\n  claude:\n    sessionStorage:\n      demo: { bucket: b1 }\n') });
    expect(parseBackendConfig(backend, config)).toEqual({ bucket: 'b1' });
  });
});

describe('resolveProjectDir', () => {
  test('flag, then CLAUDE_PROJECT_DIR, then nearest .runbook/, then cwd', () => {
    const root = project();
    const nested = path.join(root, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    const other = project();
    const bare = mkdtempSync(path.join(tmpdir(), 'runbook-bare-'));
    expect(resolveProjectDir({ projectDir: other, env: { CLAUDE_PROJECT_DIR: root }, cwd: nested })).toBe(other);
    expect(resolveProjectDir({ env: { CLAUDE_PROJECT_DIR: other }, cwd: nested })).toBe(other);
    expect(resolveProjectDir({ env: {}, cwd: nested })).toBe(root);
    expect(resolveProjectDir({ env: {}, cwd: bare })).toBe(bare);
  });
});
