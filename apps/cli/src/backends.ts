import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RunbookError, type BackendDefinition } from '@runbook/storage-core';

type DefinitionModule = { default?: unknown };

/** Built-in backends, loaded only when chosen so the hook never pays for the others. */
const BUILTIN: Record<string, () => Promise<DefinitionModule>> = {
  local: () => import('@runbook/storage-local'),
  s3: () => import('@runbook/storage-s3'),
};

export const BUILTIN_BACKENDS = Object.keys(BUILTIN);

function isDefinition(value: unknown): value is BackendDefinition<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as BackendDefinition).name === 'string' && typeof (value as BackendDefinition).create === 'function';
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

/** The ESM entry file of package `name` installed in a `node_modules` at or above `fromDir`. */
function resolvePackageFrom(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; module?: string; main?: string };
      const target = (pkg.exports !== undefined ? exportTarget(pkg.exports) : undefined) ?? pkg.module ?? pkg.main ?? 'index.js';
      return path.resolve(path.dirname(manifest), target);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Resolve from the project first, then from where the CLI itself is installed (global installs). */
function resolvePackage(name: string, projectDir: string): string | undefined {
  for (const from of [projectDir, path.dirname(fileURLToPath(import.meta.url))]) {
    const found = resolvePackageFrom(name, from);
    if (found) return found;
  }
  return undefined;
}

/**
 * The backend definition for `sessionStorage.backend`: a built-in name, or an installed package (see
 * {@link backendPackageCandidates}) whose default export is a `defineBackend(...)`, resolved from the
 * project, then from the CLI's own install.
 */
export async function loadBackendDefinition(name: string, projectDir: string): Promise<BackendDefinition<unknown>> {
  let mod: DefinitionModule;
  const builtin = BUILTIN[name];
  if (builtin) {
    mod = await builtin();
  } else {
    const candidates = backendPackageCandidates(name);
    let resolved: string | undefined;
    for (const candidate of candidates) {
      resolved = resolvePackage(candidate, projectDir);
      if (resolved) break;
    }
    if (!resolved) {
      const tried = candidates.map((c) => `"${c}"`).join(' or ');
      throw new RunbookError('BACKEND_UNKNOWN', `backend "${name}" is not built in (${BUILTIN_BACKENDS.join(', ')}) and no package ${tried} is installed in ${projectDir}; install it (npm i ${candidates[0]}) or fix sessionStorage.backend`);
    }
    mod = (await import(pathToFileURL(resolved).href)) as DefinitionModule;
  }
  const definition = mod.default;
  if (!isDefinition(definition)) {
    throw new RunbookError('BACKEND_UNAVAILABLE', `backend "${name}" does not export a backend definition (default export of defineBackend(...))`);
  }
  return definition;
}
