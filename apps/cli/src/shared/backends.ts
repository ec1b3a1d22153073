import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { configError, RunbookError, SESSION_STORAGE_KEY, type BackendDefinition } from '@runbook/storage-core';
import {
  backendSources,
  findInstalledPackage,
  isPackageName,
  userBackendsDir,
  type BackendSource,
} from './backend-sources.js';

type DefinitionModule = { default?: unknown };

/** Built-in backends, loaded only when chosen so the hook never pays for the others. */
const BUILTIN: Record<string, () => Promise<DefinitionModule>> = {
  local: () => import('@runbook/storage-local'),
  s3: () => import('@runbook/storage-s3'),
};

export const BUILTIN_BACKENDS = Object.keys(BUILTIN);

function isDefinition(value: unknown): value is BackendDefinition<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BackendDefinition).name === 'string' &&
    typeof (value as BackendDefinition).create === 'function'
  );
}

/**
 * Packages tried for a `backend:` value that is not built in. A value with a `/` (`@acme/runbook-storage-x`)
 * or starting with `runbook-storage-` is a package name; any other is a short name `x`, looked up as
 * `@runbook/storage-x`, then `runbook-storage-x`, then as the package `x` itself.
 */
export function backendPackageCandidates(name: string): string[] {
  if (name.includes('/') || name.startsWith('runbook-storage-')) return [name];
  return [`@runbook/storage-${name}`, `runbook-storage-${name}`, name];
}

/** The first target of an `exports` entry for an ESM import: `import`, `node`, `default` conditions in the package's own order. */
function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const target = exportTarget(item);
      if (target) return target;
    }
    return undefined;
  }
  if (entry === null || typeof entry !== 'object') return undefined;
  const map = entry as Record<string, unknown>;
  if (Object.keys(map).some((k) => k.startsWith('.'))) return exportTarget(map['.']);
  for (const [condition, value] of Object.entries(map)) {
    if (condition === 'import' || condition === 'node' || condition === 'default') {
      const target = exportTarget(value);
      if (target) return target;
    }
  }
  return undefined;
}

/** The ESM entry file of the package installed in `pkgDir`; an entry pointing outside the package is refused. */
function packageEntry(pkgDir: string, name: string): string {
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    module?: string;
    main?: string;
  };
  const target =
    (pkg.exports !== undefined ? exportTarget(pkg.exports) : undefined) ?? pkg.module ?? pkg.main ?? 'index.js';
  const entry = path.resolve(pkgDir, target);
  if (!entry.startsWith(`${pkgDir}${path.sep}`))
    throw new RunbookError(
      'BACKEND_UNAVAILABLE',
      `backend package "${name}" names an entry outside its own folder (${target})`,
    );
  return entry;
}

/**
 * Where the package a `backend:` value names is installed, without loading it (the hook checks this much
 * when it only spools). A path or URL is a config error naming the key; a package installed nowhere the
 * CLI loads from is `BACKEND_UNKNOWN` naming the packages tried. Built-in names need no package.
 */
export function findBackendPackage(
  name: string,
  projectDir: string,
  configFile?: string,
  sources: BackendSource[] = backendSources(),
): { pkgDir: string; found: string } {
  if (!isPackageName(name)) {
    throw configError(
      configFile,
      `${SESSION_STORAGE_KEY}.backend`,
      `must be ${BUILTIN_BACKENDS.join(' or ')} or an installed backend package's npm name, never a path or URL (got ${JSON.stringify(name)})`,
    );
  }
  const candidates = backendPackageCandidates(name);
  for (const candidate of candidates) {
    const pkgDir = findInstalledPackage(candidate, sources);
    if (pkgDir) return { pkgDir, found: candidate };
  }
  const tried = candidates.map((c) => `"${c}"`).join(' or ');
  const inProject = candidates.find((c) => existsSync(path.join(projectDir, 'node_modules', c, 'package.json')));
  const ignored = inProject ? ` (the copy in the project's node_modules is never loaded)` : '';
  throw new RunbookError(
    'BACKEND_UNKNOWN',
    `backend "${name}" is not built in (${BUILTIN_BACKENDS.join(', ')}) and no package ${tried} is installed ${sources.map((s) => s.label).join(' or in ')}${ignored}; install it (npm i -g ${candidates[0]}, or npm i --prefix ${userBackendsDir()} ${candidates[0]}) or fix sessionStorage.backend`,
  );
}

/** Whether a `backend:` value is a built-in backend. */
export function isBuiltinBackend(name: string): boolean {
  return Object.hasOwn(BUILTIN, name);
}

/**
 * The backend definition for `sessionStorage.backend`: a built-in name, or an installed package (see
 * {@link backendPackageCandidates}) whose default export is a `defineBackend(...)`. Packages load only
 * from where the user installed them (see {@link backendSources}), never from the project, and the
 * value must be a package name: a path or URL in a committed config is a config error, not code to run.
 */
export async function loadBackendDefinition(
  name: string,
  projectDir: string,
  configFile?: string,
  sources: BackendSource[] = backendSources(),
): Promise<BackendDefinition<unknown>> {
  let mod: DefinitionModule;
  const builtin = Object.hasOwn(BUILTIN, name) ? BUILTIN[name] : undefined;
  if (builtin) {
    mod = await builtin();
  } else {
    const { pkgDir, found } = findBackendPackage(name, projectDir, configFile, sources);
    mod = (await import(pathToFileURL(packageEntry(pkgDir, found)).href)) as DefinitionModule;
  }
  const definition = mod.default;
  if (!isDefinition(definition)) {
    throw new RunbookError(
      'BACKEND_UNAVAILABLE',
      `backend "${name}" does not export a backend definition (default export of defineBackend(...))`,
    );
  }
  return definition;
}
