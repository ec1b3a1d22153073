import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

function resolvePackage(name: string, projectDir: string): string | undefined {
  for (const from of [path.join(projectDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve(name);
    } catch {
      // try the next place
    }
  }
  return undefined;
}

/**
 * The backend definition for `sessionStorage.backend`: a built-in name, or an installed package whose
 * default export is a `defineBackend(...)` (resolved from the project, then from the CLI's own install).
 */
export async function loadBackendDefinition(name: string, projectDir: string): Promise<BackendDefinition<unknown>> {
  let mod: DefinitionModule;
  const builtin = BUILTIN[name];
  if (builtin) {
    mod = await builtin();
  } else {
    const resolved = resolvePackage(name, projectDir);
    if (!resolved) {
      throw new RunbookError('BACKEND_UNKNOWN', `backend "${name}" is not built in (${BUILTIN_BACKENDS.join(', ')}) and no package "${name}" is installed in ${projectDir}; install it (npm i ${name}) or fix sessionStorage.backend`);
    }
    mod = (await import(pathToFileURL(resolved).href)) as DefinitionModule;
  }
  const definition = mod.default;
  if (!isDefinition(definition)) {
    throw new RunbookError('BACKEND_UNAVAILABLE', `backend "${name}" does not export a backend definition (default export of defineBackend(...))`);
  }
  return definition;
}
