import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  defineBackend,
  isRunbookError,
  loadRunbookConfig,
  MAX_CONFIG_BYTES,
  parseBackendConfig,
  resolveProjectDir,
} from '../src/index.js';

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
    expect(config.sessionStorage).toEqual({
      backend: 'local',
      mirrorLocal: true,
      localBaseDir: '.runbook/hooks/claude',
      upload: 'spool',
    });
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
      upload: 'spool',
      s3: { bucket: 'sessions-bucket', prefix: 'teams/platform' },
    });
    expect(config.document.llm).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(config.document.knowledge).toEqual({ sources: ['runbooks'] });
    // An unset variable outside our section is not our error.
    expect((config.document.providers as { pagerduty: { token: string } }).pagerduty.token).toBe('');
  });

  test.each([
    [
      'integrations:\n  claude:\n    sessionStorage:\n      mirrorLocal: "yes"\n',
      'integrations.claude.sessionStorage.mirrorLocal: must be boolean, got string',
    ],
    [
      'integrations:\n  claude:\n    sessionStorage:\n      backend: ""\n',
      'integrations.claude.sessionStorage.backend: must not be empty',
    ],
    [
      'integrations:\n  claude:\n    sessionStorage: [local]\n',
      'integrations.claude.sessionStorage: must be a mapping',
    ],
    ['- just\n- a list\n', '(top level): must be a mapping of sections'],
    [
      'integrations:\n  claude:\n    sessionStorage:\n      localBaseDir: ${NOPE}/x\n',
      'integrations.claude.sessionStorage.localBaseDir: environment variable NOPE is not set',
    ],
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
    const dir = project(
      'integrations:\n  claude:\n    sessionStorage:\n      backend: local\n      localBaseDir: first\n',
    );
    const cacheDir = path.join(dir, '.runbook', 'cache');
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('first');
    expect(existsSync(path.join(cacheDir, 'config.json'))).toBe(true);
    const file = path.join(dir, '.runbook', 'config.yaml');
    writeFileSync(
      file,
      'integrations:\n  claude:\n    sessionStorage:\n      backend: local\n      localBaseDir: second-value\n',
    );
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('second-value');
  });
});

describe('hostile config files', () => {
  const many = (keys: number) =>
    `knowledge:\n${Array.from({ length: keys }, (_, i) => `  key${i}: value${i}\n`).join('')}`;

  test('a file over the size cap is refused unread, with its size and the cap', async () => {
    const text = many(60_000);
    expect(text.length).toBeGreaterThan(1_000_000);
    const message = await loadError(text);
    expect(message).toMatch(/config\.yaml: is 1\.\d MB; a config file may be at most 256 KB$/);
  });

  test('a file just under the cap with thousands of keys loads', async () => {
    let keys = 9000;
    while (many(keys + 200).length < MAX_CONFIG_BYTES) keys += 200;
    const config = await loadRunbookConfig({ projectDir: project(many(keys)) });
    expect(Object.keys(config.document.knowledge as object)).toHaveLength(keys);
  });

  test.each([
    [
      'integrations:\n  claude: {}\nknowledge: {}\nintegrations:\n  claude:\n    sessionStorage: { backend: s3 }\n',
      /config\.yaml:4: invalid YAML: key "integrations" appears twice in one mapping$/,
    ],
    ['a:\n  b: 1\n  c: 2\n  b: 3\n', /config\.yaml:4: invalid YAML: key "b" appears twice in one mapping$/],
    ['? [a, b]\n: 1\n', /config\.yaml:1: invalid YAML: a mapping key must be a plain value, not a list or mapping$/],
  ])('repeated and collection keys are errors with their line: %j', async (yaml, expected) => {
    expect(await loadError(yaml)).toMatch(expected);
  });

  test('a top-level __proto__ key is an ordinary key, not a prototype', async () => {
    const config = await loadRunbookConfig({
      projectDir: project(
        '__proto__:\n  polluted: yes\nintegrations:\n  claude:\n    sessionStorage:\n      backend: local\n',
      ),
    });
    expect(Object.getPrototypeOf(config.document)).toBe(Object.prototype);
    expect(Object.keys(config.document)).toEqual(['__proto__', 'integrations']);
    expect((config.document as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a config error names the variable, never the secret value interpolated into it', async () => {
    const secret = 'sk-live-4f9a8b7c6d5e';
    const message = await loadError('integrations:\n  claude:\n    sessionStorage:\n      mirrorLocal: ${DB_TOKEN}\n', {
      DB_TOKEN: secret,
    });
    expect(message).toContain('mirrorLocal: must be boolean, got string');
    const config = await loadRunbookConfig({
      projectDir: project(
        'integrations:\n  claude:\n    sessionStorage:\n      backend: demo\n      demo:\n        bucket: "x-${DB_TOKEN}"\n',
      ),
      env: { DB_TOKEN: secret },
    });
    const strict = defineBackend<{ bucket: string }>({
      name: 'demo',
      configKey: 'demo',
      configSchema: {
        parse(value: unknown) {
          throw new Error(`bucket ${JSON.stringify((value as { bucket: unknown }).bucket)} is not a bucket name`);
        },
      },
      create: () => {
        throw new Error('not used');
      },
    });
    expect(() => parseBackendConfig(strict, config)).toThrow(
      /sessionStorage\.demo: bucket "x-\$\{DB_TOKEN\}" is not a bucket name$/,
    );
  });
});

describe('the parse cache', () => {
  const yamlWith = (dir: string) =>
    `integrations:\n  claude:\n    sessionStorage:\n      backend: local\n      localBaseDir: ${dir}\n`;

  test('an edit of the same size within the same mtime is seen', async () => {
    const dir = project(yamlWith('aaaa'));
    const cacheDir = path.join(dir, '.runbook', 'cache');
    const file = path.join(dir, '.runbook', 'config.yaml');
    const stamp = new Date('2026-11-29T10:00:00Z');
    utimesSync(file, stamp, stamp);
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('aaaa');
    writeFileSync(file, yamlWith('bbbb'));
    utimesSync(file, stamp, stamp);
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('bbbb');
  });

  test('a cache file shipped beside the config (another file of the same text) is not used', async () => {
    const dir = project(yamlWith('from-yaml'));
    const cacheDir = path.join(dir, '.runbook', 'cache');
    await loadRunbookConfig({ projectDir: dir, cacheDir });
    const cacheFile = path.join(cacheDir, 'config.json');
    const entry = JSON.parse(readFileSync(cacheFile, 'utf8')) as {
      document: { integrations: { claude: { sessionStorage: { localBaseDir: string } } } };
    };
    entry.document.integrations.claude.sessionStorage.localBaseDir = 'from-cache';
    writeFileSync(cacheFile, JSON.stringify(entry));
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('from-cache');
    // The same text in a new file (a clone, a checkout): the entry no longer applies.
    const file = path.join(dir, '.runbook', 'config.yaml');
    const inode = statSync(file).ino;
    writeFileSync(`${file}.new`, yamlWith('from-yaml'));
    const { renameSync } = await import('node:fs');
    renameSync(`${file}.new`, file);
    expect(statSync(file).ino).not.toBe(inode);
    expect((await loadRunbookConfig({ projectDir: dir, cacheDir })).sessionStorage.localBaseDir).toBe('from-yaml');
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
          throw Object.assign(new Error('bad'), {
            issues: [{ path: ['bucket'], code: 'invalid_type', expected: 'string', message: 'x' }],
          });
        }
        return { bucket };
      },
    },
    create: () => {
      throw new Error('not used');
    },
  });

  test("turns a backend's validation failure into a config error naming the key", async () => {
    const config = await loadRunbookConfig({
      projectDir: project('integrations:\n  claude:\n    sessionStorage:\n      backend: demo\n'),
    });
    expect(() => parseBackendConfig(backend, config)).toThrow(
      /config\.yaml: integrations\.claude\.sessionStorage\.demo\.bucket: is required \(string\)$/,
    );
  });

  test('passes a valid section through', async () => {
    const config = await loadRunbookConfig({
      projectDir: project('integrations:\n  claude:\n    sessionStorage:\n      demo: { bucket: b1 }\n'),
    });
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
