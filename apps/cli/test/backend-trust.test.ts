import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

// A committed `.runbook/config.yaml` is untrusted: whatever it names as a backend, no file from the
// repository (a path, or a package in the project's own node_modules) is ever imported.

let project: TempProject;
let home: string;
let marker: string;

beforeEach(() => {
  project = tempProject('runbook-trust-');
  home = mkdtempSync(path.join(tmpdir(), 'runbook-trust-home-'));
  marker = path.join(home, 'code-ran');
});
afterEach(() => {
  project.cleanup();
  rmSync(home, { recursive: true, force: true });
});

/** A module that leaves a marker file when imported, and is also a working backend definition. */
function hostileModule(): string {
  return `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'imported');
export default { name: 'evil', create: () => ({ name: 'evil', listDetails: true, async append() { return 'stored'; }, async *read() {}, async *list() {} }) };
`;
}

function writePackage(nodeModules: string, name: string): void {
  const dir = path.join(nodeModules, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, type: 'module', exports: { '.': { import: './index.js' } } }),
  );
  writeFileSync(path.join(dir, 'index.js'), hostileModule());
}

const configWith = (backend: string) =>
  `integrations:\n  claude:\n    sessionStorage:\n      backend: ${JSON.stringify(backend)}\n      mirrorLocal: false\n`;
const list = () => runCli(['integrations', 'claude', 'sessions', 'list'], { cwd: project.dir, env: { HOME: home } });

describe('a backend named by a path or URL', () => {
  test.each([
    ['../.runbook/evil', '.runbook/evil/index.js'],
    ['./.runbook/evil.js', '.runbook/evil.js'],
    ['.runbook/evil', '.runbook/evil/index.js'],
    ['/ABSOLUTE/.runbook/evil.js', '.runbook/evil.js'],
    ['file:///ABSOLUTE/.runbook/evil.js', '.runbook/evil.js'],
    ['https://example.invalid/evil.js', '.runbook/evil.js'],
    ['@acme/pkg/../../.runbook/evil', '.runbook/evil/index.js'],
  ])('%s is a config error naming the key; nothing is imported, by a command or by the hook', async (value, file) => {
    const target = path.join(project.dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, hostileModule());
    writePackage(path.join(project.dir, '.runbook'), 'evil');
    project.config(configWith(value.replace('/ABSOLUTE', project.dir)));

    const result = await list();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^runbook: .*config\.yaml: integrations\.claude\.sessionStorage\.backend: must be local or s3 or an installed backend package's npm name, never a path or URL \(got ".*"\)\n$/,
    );

    const hook = await runHook(project.dir, hookEvent('kept', 'Stop'), [], { HOME: home });
    expect(hook).toMatchObject({ code: 0, stdout: '' });
    expect(hook.stderr).toContain('integrations.claude.sessionStorage.backend');
    // The event is kept in the default local directory instead.
    expect(readdirSync(path.join(project.dir, '.runbook/hooks/claude/sessions'))).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a backend package shipped inside the project', () => {
  test('the project node_modules is never searched, and the error says so', async () => {
    writePackage(path.join(project.dir, 'node_modules'), 'runbook-storage-evil');
    project.config(configWith('evil'));
    const result = await list();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'no package "@runbook/storage-evil" or "runbook-storage-evil" or "evil" is installed',
    );
    expect(result.stderr).toContain("(the copy in the project's node_modules is never loaded)");
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const hook = await runHook(project.dir, hookEvent('kept', 'Stop'), [], { HOME: home });
    expect(hook).toMatchObject({ code: 0, stdout: '' });
    expect(existsSync(marker)).toBe(false);
  });

  test('a parent folder of the project holding node_modules is not searched either', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'runbook-trust-parent-'));
    try {
      writePackage(path.join(parent, 'node_modules'), 'runbook-storage-evil');
      const nested = path.join(parent, 'repo');
      mkdirSync(path.join(nested, '.runbook'), { recursive: true });
      writeFileSync(path.join(nested, '.runbook', 'config.yaml'), configWith('evil'));
      const result = await runCli(['integrations', 'claude', 'sessions', 'list'], { cwd: nested, env: { HOME: home } });
      expect(result.code).toBe(1);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  test('the same package installed in ~/.runbook/backends is loaded', async () => {
    writePackage(path.join(home, '.runbook', 'backends', 'node_modules'), 'runbook-storage-evil');
    project.config(configWith('evil'));
    const result = await list();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('No sessions stored yet.\n');
    expect(existsSync(marker)).toBe(true);
  });
});

describe('names that are properties of every JavaScript object', () => {
  test.each([
    [
      'hasOwnProperty',
      `integrations.claude.sessionStorage.backend: must be local or s3 or an installed backend package's npm name`,
    ],
    [
      'toString',
      `integrations.claude.sessionStorage.backend: must be local or s3 or an installed backend package's npm name`,
    ],
    [
      '__proto__',
      `integrations.claude.sessionStorage.backend: must be local or s3 or an installed backend package's npm name`,
    ],
    ['constructor', 'backend "constructor" is not built in (local, s3) and no package'],
    ['valueof', 'backend "valueof" is not built in (local, s3) and no package'],
  ])('backend: %s is one clean line, not a JavaScript error', async (name, message) => {
    project.config(configWith(name));
    const result = await list();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
