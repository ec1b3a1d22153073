/**
 * What a user of the published packages gets: each library package packed as npm would publish it,
 * its `exports` checked against the tarball, then imported (and type-checked) from the tarballs in a
 * scratch project; the example backend installed from its tarball and used by the CLI; changesets.
 *
 * Installing the tarballs with `npm i --offline` cannot work here: their third-party dependencies
 * (zod, yaml, @aws-sdk/client-s3, @anthropic-ai/sdk) are in pnpm's store, not in npm's cache, so npm
 * fails with ENOTCACHED. The tarballs are unpacked into `node_modules/<name>` (which is what npm does
 * with them) and each third-party dependency is linked from the workspace's own install.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hookEvent, runCli, runHook, tempProject } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LIBRARIES = [
  'storage-core',
  'storage-local',
  'storage-s3',
  'storage-github',
  'hook-ingest',
  'learning-bridge',
  'session-index',
].map((name) => path.join(ROOT, 'packages', name));
const EXAMPLE = path.join(ROOT, 'examples', 'storage-files');

interface Manifest {
  name: string;
  version: string;
  type?: string;
  private?: boolean;
  main?: string;
  types?: string;
  files?: string[];
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000, ...options });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${String(result.stderr).slice(0, 2000)}`);
  return String(result.stdout);
}

const manifestOf = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Build a package when its dist is missing or older than its sources: turbo builds before tests; this covers a bare `vitest run`. */
function ensureBuilt(dir: string): void {
  const entry = path.join(dir, 'dist', 'index.js');
  if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime(path.join(dir, 'src')))
    run('pnpm', ['--filter', manifestOf(dir).name, 'build'], { cwd: ROOT });
}

/** `pnpm pack` (workspace: ranges become real versions, as on publish); the tarball's path. */
function pack(dir: string, destination: string): string {
  const { name, version } = manifestOf(dir);
  run('pnpm', ['pack', '--pack-destination', destination], { cwd: dir });
  const tarball = path.join(destination, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  expect(existsSync(tarball), tarball).toBe(true);
  return tarball;
}

/** Paths inside a tarball, without npm's `package/` prefix. */
function tarballFiles(tarball: string): Set<string> {
  return new Set(
    run('tar', ['-tzf', tarball])
      .split('\n')
      .filter(Boolean)
      .map((p) => p.replace(/^package\//, '')),
  );
}

function tarballManifest(tarball: string): Manifest {
  return JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'])) as Manifest;
}

/**
 * Problems with a packed package's entry points, publint-style: every `exports` condition object
 * lists `types` first, has an `import`, every target exists in the tarball and is covered by `files`,
 * `main`/`types` exist, the package is ESM, and no `workspace:` range was left in.
 */
function exportProblems(manifest: Manifest, files: Set<string>): string[] {
  const problems: string[] = [];
  const norm = (target: string) => target.replace(/^\.\//, '');
  const covered = (target: string) =>
    (manifest.files ?? []).some(
      (f) => norm(target) === norm(f) || norm(target).startsWith(`${norm(f).replace(/\/$/, '')}/`),
    );
  const checkTarget = (where: string, target: unknown) => {
    if (typeof target !== 'string') return problems.push(`${where}: target is not a path`);
    if (!files.has(norm(target))) problems.push(`${where}: ${target} is not in the tarball`);
    if (!covered(target)) problems.push(`${where}: ${target} is not covered by "files"`);
    return undefined;
  };
  if (manifest.type !== 'module') problems.push('"type" is not "module"');
  if (manifest.exports === undefined || manifest.exports === null || typeof manifest.exports !== 'object') {
    problems.push('"exports" is missing or not a map');
  } else {
    for (const [subpath, conditions] of Object.entries(manifest.exports as Record<string, unknown>)) {
      if (!subpath.startsWith('.')) problems.push(`exports: "${subpath}" is not a subpath`);
      if (conditions === null || typeof conditions !== 'object') {
        problems.push(`exports["${subpath}"]: no conditions, so no types`);
        continue;
      }
      const keys = Object.keys(conditions);
      if (keys[0] !== 'types')
        problems.push(`exports["${subpath}"]: "types" must come first, found ${keys.join(', ')}`);
      if (!keys.includes('import') && !keys.includes('default'))
        problems.push(`exports["${subpath}"]: no "import" condition`);
      for (const [condition, target] of Object.entries(conditions as Record<string, unknown>)) {
        checkTarget(`exports["${subpath}"].${condition}`, target);
        if (condition === 'types' && typeof target === 'string' && !target.endsWith('.d.ts'))
          problems.push(`exports["${subpath}"].types: ${target} is not a .d.ts`);
      }
    }
  }
  for (const field of ['main', 'types'] as const) {
    const target = manifest[field];
    if (target === undefined) problems.push(`"${field}" is missing`);
    else checkTarget(field, target);
  }
  for (const kind of ['dependencies', 'peerDependencies'] as const) {
    for (const [dep, range] of Object.entries(manifest[kind] ?? {}))
      if (range.startsWith('workspace:')) problems.push(`${kind}.${dep}: ${range} left in`);
  }
  return problems;
}

/** Unpack a tarball into `<project>/node_modules/<name>` and link its third-party dependencies from `sourceDir`'s install. */
function installTarball(project: string, tarball: string, sourceDir: string): void {
  const manifest = tarballManifest(tarball);
  const target = path.join(project, 'node_modules', manifest.name);
  mkdirSync(target, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    if (dep.startsWith('@runbook/')) continue;
    const link = path.join(project, 'node_modules', dep);
    if (existsSync(link)) continue;
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(realpathSync(path.join(sourceDir, 'node_modules', dep)), link);
  }
}

let work: string;
const tarballs = new Map<string, string>();

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'runbook-packaging-'));
  for (const dir of [...LIBRARIES, EXAMPLE]) {
    ensureBuilt(dir);
    tarballs.set(dir, pack(dir, work));
  }
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('library packages as published', () => {
  test('the exports check catches what it is for', () => {
    const files = new Set(['package.json', 'dist/index.js', 'dist/index.d.ts']);
    const broken: Manifest = {
      name: 'x',
      version: '1.0.0',
      main: './dist/index.js',
      files: ['dist'],
      exports: {
        '.': { import: './dist/index.js', types: './dist/index.d.ts' },
        './extra': { types: './dist/extra.d.ts', import: './lib/extra.js' },
      },
      dependencies: { '@runbook/storage-core': 'workspace:^' },
    };
    expect(exportProblems(broken, files)).toEqual([
      '"type" is not "module"',
      'exports["."]: "types" must come first, found import, types',
      'exports["./extra"].types: ./dist/extra.d.ts is not in the tarball',
      'exports["./extra"].import: ./lib/extra.js is not in the tarball',
      'exports["./extra"].import: ./lib/extra.js is not covered by "files"',
      '"types" is missing',
      'dependencies.@runbook/storage-core: workspace:^ left in',
    ]);
  });

  test.each(LIBRARIES.map((dir) => [path.basename(dir), dir]))(
    '%s: every export is in the tarball, types first, ESM with declarations',
    (_name, dir) => {
      const tarball = tarballs.get(dir)!;
      const files = tarballFiles(tarball);
      const manifest = tarballManifest(tarball);
      expect(exportProblems(manifest, files)).toEqual([]);
      expect([...files].filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
      // The published manifest names the same version range for our own packages as a user installs.
      for (const range of Object.values({ ...manifest.peerDependencies })) expect(range).toMatch(/^\^?\d+\.\d+\.\d+/);
    },
  );

  test('each package imports from its tarball, works, and type-checks in a fresh project', () => {
    const project = path.join(work, 'scratch');
    mkdirSync(project, { recursive: true });
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    for (const dir of LIBRARIES) installTarball(project, tarballs.get(dir)!, dir);

    const specifiers = LIBRARIES.flatMap((dir) => {
      const { name, exports } = manifestOf(dir);
      return Object.keys(exports as Record<string, unknown>).map((sub) =>
        sub === '.' ? name : `${name}/${sub.slice(2)}`,
      );
    });
    expect(specifiers).toContain('@runbook/storage-core/testing');
    writeFileSync(
      path.join(project, 'check.mjs'),
      `import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
const specifiers = ${JSON.stringify(specifiers)};
const exports = {};
for (const s of specifiers) exports[s] = Object.keys(await import(s)).sort();
const core = await import('@runbook/storage-core');
const local = await import('@runbook/storage-local');
const ingest = await import('@runbook/hook-ingest');
const backend = local.createLocalBackend({ baseDir: mkdtempSync(path.join(tmpdir(), 'scratch-')) });
const result = await ingest.ingestHookEvent(Buffer.from(JSON.stringify({ session_id: 's-1', hook_event_name: 'UserPromptSubmit', prompt: 'hello' })), backend);
const back = await core.collect(backend.read('s-1'));
console.log(JSON.stringify({ exports, status: result.status, prompt: back[0]?.payload.prompt, s3: (await import('@runbook/storage-s3')).default.name }));
`,
    );
    const out = JSON.parse(run(process.execPath, ['check.mjs'], { cwd: project })) as {
      exports: Record<string, string[]>;
      status: string;
      prompt: string;
      s3: string;
    };
    for (const s of specifiers) expect(out.exports[s]!.length, s).toBeGreaterThan(0);
    expect(out.exports['@runbook/storage-core']).toEqual(
      expect.arrayContaining(['createRecord', 'defineBackend', 'loadRunbookConfig', 'RunbookError']),
    );
    expect(out.exports['@runbook/storage-core/testing']).toContain('storageTestSuite');
    expect(out.exports['@runbook/hook-ingest']).toContain('ingestHookEvent');
    expect(out.exports['@runbook/learning-bridge']).toContain('buildTimeline');
    expect(out.exports['@runbook/session-index']).toEqual(
      expect.arrayContaining([
        'openSessionIndex',
        'scanSearch',
        'similarSessions',
        'recurringProblems',
        'recallContext',
      ]),
    );
    expect(out).toMatchObject({ status: 'stored', prompt: 'hello', s3: 's3' });

    // Type declarations resolve for every entry point under NodeNext, as in a user's TypeScript project.
    symlinkSync(path.join(ROOT, 'node_modules', '@types'), path.join(project, 'node_modules', '@types'));
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    );
    writeFileSync(
      path.join(project, 'check.ts'),
      `${specifiers.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}
import { createRecord, type SessionBackend } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
const backend: SessionBackend = createLocalBackend({ baseDir: '/tmp/x' });
const outcome: Promise<'stored' | 'duplicate'> = backend.append(createRecord({ sessionId: 's', eventName: 'Stop', payload: {} }));
export const all = [${specifiers.map((_, i) => `m${i}`).join(', ')}, outcome];
`,
    );
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      { cwd: project, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});

describe('a backend from an installed package', () => {
  const config =
    'integrations:\n  claude:\n    sessionStorage:\n      backend: "@runbook/example-storage-files"\n      mirrorLocal: false\n      outbox:\n        background: false\n      files:\n        dir: data/sessions\n';

  /** Three hook events through `cli`, then `sessions list` and `status` read them back through the package. */
  async function storesAndLists(dir: string, env: NodeJS.ProcessEnv, cli?: string): Promise<void> {
    for (const [name, extra] of [
      ['SessionStart', { source: 'startup' }],
      ['UserPromptSubmit', { prompt: 'why did the nightly backup fail?' }],
      ['Stop', {}],
    ] as const) {
      const result = await runCli(['integrations', 'claude', 'hook'], {
        cwd: dir,
        input: JSON.stringify(hookEvent('files-session', name, extra)),
        env: { ...env, CLAUDE_PROJECT_DIR: dir },
        ...(cli ? { cli } : {}),
      });
      expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    // The hook spools events for a non-local backend; `sync` sends them through the package.
    const sync = await runCli(['integrations', 'claude', 'sync'], { cwd: dir, env, ...(cli ? { cli } : {}) });
    expect(sync.code, sync.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'data/sessions/files-session')).filter((f) => f.endsWith('.json'))).toHaveLength(
      3,
    );
    expect(existsSync(path.join(dir, '.runbook/hooks/claude/sessions'))).toBe(false);
    const list = await runCli(['integrations', 'claude', 'sessions', 'list', '--json'], {
      cwd: dir,
      env,
      ...(cli ? { cli } : {}),
    });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { sessionId: 'files-session', eventCount: 3, firstPrompt: 'why did the nightly backup fail?' },
    ]);
    const status = JSON.parse(
      (await runCli(['integrations', 'claude', 'status', '--json'], { cwd: dir, env, ...(cli ? { cli } : {}) })).stdout,
    ) as { storage: { backend: string; definitionName: string; location: string } };
    expect(status.storage).toMatchObject({
      backend: '@runbook/example-storage-files',
      definitionName: 'files',
      location: 'data/sessions',
    });
  }

  test('npm i -g @runbook/cli <backend>: the CLI loads @runbook/example-storage-files installed beside it', async () => {
    const p = tempProject('runbook-files-backend-');
    const prefix = mkdtempSync(path.join(tmpdir(), 'runbook-global-'));
    try {
      // The layout of a global install: <prefix>/lib/node_modules/@runbook/cli with the backend package beside it.
      const globalModules = path.join(prefix, 'lib');
      const cliDir = path.join(globalModules, 'node_modules', '@runbook', 'cli');
      mkdirSync(cliDir, { recursive: true });
      cpSync(path.join(ROOT, 'apps', 'cli', 'dist'), path.join(cliDir, 'dist'), { recursive: true });
      cpSync(path.join(ROOT, 'apps', 'cli', 'package.json'), path.join(cliDir, 'package.json'));
      installTarball(
        globalModules,
        tarballs.get(path.join(ROOT, 'packages', 'storage-core'))!,
        path.join(ROOT, 'packages', 'storage-core'),
      );
      installTarball(globalModules, tarballs.get(EXAMPLE)!, EXAMPLE);
      p.config(config);
      await storesAndLists(p.dir, { HOME: path.join(prefix, 'home') }, path.join(cliDir, 'dist', 'runbook.cjs'));
    } finally {
      p.cleanup();
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  test('the CLI loads @runbook/example-storage-files installed in ~/.runbook/backends', async () => {
    const p = tempProject('runbook-files-backend-');
    const home = mkdtempSync(path.join(tmpdir(), 'runbook-home-'));
    try {
      const backends = path.join(home, '.runbook', 'backends');
      installTarball(
        backends,
        tarballs.get(path.join(ROOT, 'packages', 'storage-core'))!,
        path.join(ROOT, 'packages', 'storage-core'),
      );
      installTarball(backends, tarballs.get(EXAMPLE)!, EXAMPLE);
      p.config(config);
      await storesAndLists(p.dir, { HOME: home });
    } finally {
      p.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('npm i -g @runbook/cli @runbook/storage-github: backend github works with no CLI code naming it', async () => {
    const { startGitServer } = await import('../../../packages/storage-github/test/helpers/git-server.mjs');
    const token = 'ghp_packaging0000000000000000000000000000';
    const server = await startGitServer({ token });
    const p = tempProject('runbook-github-backend-');
    const prefix = mkdtempSync(path.join(tmpdir(), 'runbook-global-'));
    try {
      const globalModules = path.join(prefix, 'lib');
      const cliDir = path.join(globalModules, 'node_modules', '@runbook', 'cli');
      mkdirSync(cliDir, { recursive: true });
      cpSync(path.join(ROOT, 'apps', 'cli', 'dist'), path.join(cliDir, 'dist'), { recursive: true });
      cpSync(path.join(ROOT, 'apps', 'cli', 'package.json'), path.join(cliDir, 'package.json'));
      for (const name of ['storage-core', 'storage-github'])
        installTarball(
          globalModules,
          tarballs.get(path.join(ROOT, 'packages', name))!,
          path.join(ROOT, 'packages', name),
        );
      const url = server.createRepo('team-sessions');
      p.config(
        `integrations:\n  claude:\n    sessionStorage:\n      backend: github\n      mirrorLocal: false\n      outbox:\n        background: false\n      github:\n        repository: ${url}\n        token: \${GITHUB_TOKEN}\n`,
      );
      const cli = path.join(cliDir, 'dist', 'runbook.cjs');
      const env = { HOME: path.join(prefix, 'home'), GITHUB_TOKEN: token };
      for (const [name, extra] of [
        ['SessionStart', { source: 'startup' }],
        ['UserPromptSubmit', { prompt: 'why is checkout slow?' }],
        ['Stop', {}],
      ] as const) {
        const result = await runCli(['integrations', 'claude', 'hook'], {
          cwd: p.dir,
          input: JSON.stringify(hookEvent('gh-session', name, extra)),
          env: { ...env, CLAUDE_PROJECT_DIR: p.dir },
          cli,
        });
        expect(result).toMatchObject({ code: 0, stdout: '' });
      }
      const sync = await runCli(['integrations', 'claude', 'sync'], { cwd: p.dir, env, cli });
      expect(sync.code, sync.stderr).toBe(0);
      const list = await runCli(['integrations', 'claude', 'sessions', 'list', '--json'], { cwd: p.dir, env, cli });
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout)).toMatchObject([
        { sessionId: 'gh-session', eventCount: 3, firstPrompt: 'why is checkout slow?' },
      ]);
      const status = JSON.parse(
        (await runCli(['integrations', 'claude', 'status', '--json'], { cwd: p.dir, env, cli })).stdout,
      ) as { storage: Record<string, unknown> };
      expect(status.storage).toMatchObject({
        backend: 'github',
        definitionName: 'github',
        location: `${url} (branch runbook-sessions, folder sessions)`,
      });
      const doctor = JSON.parse(
        (await runCli(['integrations', 'claude', 'doctor', '--json'], { cwd: p.dir, env, cli })).stdout,
      ) as { checks: Array<{ name: string; status: string; detail: string }> };
      expect(doctor.checks.find((c) => c.name === 'storage')).toMatchObject({
        status: 'ok',
        detail: expect.stringContaining('1 session stored'),
      });
      // On the server: one browsable file per session, the three events in it.
      const month = new Date().toISOString().slice(0, 7).replace('-', '/');
      const file = run('git', [
        '--git-dir',
        server.repoPath('team-sessions'),
        'show',
        `runbook-sessions:sessions/${month}/gh-session/events.ndjson`,
      ]);
      expect(
        file
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { eventName: string }).eventName),
      ).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop']);
      // The token is in no file of the project (config holds only the variable's name).
      const leaked = spawnSync('grep', ['-rl', token, p.dir], { encoding: 'utf8' });
      expect(leaked.stdout).toBe('');
    } finally {
      p.cleanup();
      rmSync(prefix, { recursive: true, force: true });
      await server.close();
    }
  }, 120_000);

  test('a backend package that is not installed is one clear error naming the packages tried', async () => {
    const p = tempProject('runbook-missing-backend-');
    try {
      p.config('integrations:\n  claude:\n    sessionStorage:\n      backend: files\n');
      const list = await runCli(['integrations', 'claude', 'sessions', 'list'], { cwd: p.dir });
      expect(list.code).toBe(1);
      expect(list.stderr).toMatch(
        /^runbook: backend "files" is not built in \(local, s3\) and no package "@runbook\/storage-files" or "runbook-storage-files" or "files" is installed beside the CLI \(.*\) or in .*\.runbook\/backends; install it \(npm i -g @runbook\/storage-files, or npm i --prefix .*\.runbook\/backends @runbook\/storage-files\) or fix sessionStorage\.backend\n$/,
      );
      // The hook never needs the package: it keeps the event in the outbox until the backend can be loaded.
      const hook = await runHook(p.dir, hookEvent('kept-anyway', 'Stop'));
      expect(hook).toMatchObject({ code: 0, stdout: '' });
      const waiting = readdirSync(path.join(p.dir, '.runbook/hooks/claude/outbox'), { withFileTypes: true }).filter(
        (e) => e.isFile(),
      );
      expect(waiting.length).toBeGreaterThanOrEqual(1);
    } finally {
      p.cleanup();
    }
  });
});

describe('release', () => {
  const workspacePackages = [...LIBRARIES, EXAMPLE, path.join(ROOT, 'apps', 'cli')];

  test.each(workspacePackages.map((dir) => [path.relative(ROOT, dir), dir]))(
    '%s has a changesets CHANGELOG.md',
    (_rel, dir) => {
      const changelog = readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8');
      // changesets inserts each release right under this heading.
      expect(changelog.split('\n')[0]).toBe(`# ${manifestOf(dir).name}`);
    },
  );

  test('changeset status reads every pending changeset, each naming real packages', () => {
    const output = path.join(work, 'status.json');
    run('pnpm', ['exec', 'changeset', 'status', `--output=${output}`], { cwd: ROOT });
    const status = JSON.parse(readFileSync(output, 'utf8')) as {
      releases: Array<{ name: string; type: string }>;
      changesets: unknown[];
    };
    const known = new Set(workspacePackages.map((dir) => manifestOf(dir).name));
    for (const release of status.releases) expect(known.has(release.name), release.name).toBe(true);
    expect(readdirSync(path.join(ROOT, '.changeset')).filter((f) => f.endsWith('.md')).length).toBe(
      status.changesets.length,
    );
  });

  test('the release script versions, then builds and tests, then publishes', () => {
    const release = manifestOf(ROOT).scripts?.release ?? '';
    const steps = release.split('&&').map((s) => s.trim());
    expect(steps[0]).toBe('changeset version');
    expect(steps.at(-1)).toBe('changeset publish');
    const build = steps.findIndex((s) => /\bbuild\b/.test(s));
    const tests = steps.findIndex((s) => /test/.test(s));
    expect(build).toBeGreaterThan(0);
    expect(tests).toBeGreaterThan(0);
    expect(Math.max(build, tests)).toBeLessThan(steps.length - 1);
  });
});
