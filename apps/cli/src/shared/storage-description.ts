import path from 'node:path';
import type { BackendDescription, SessionBackend } from '@runbook/storage-core';
import { displayPath, loadContext, type CliContext, type ContextOptions } from './context.js';
import { openPrimary } from './store.js';

/** Where sessions are stored, in words. */
export interface StorageDescription {
  /** The configured `backend:` value. */
  backend: string;
  /** The backend's own name (`local`, `s3`, `github`, or a package's). */
  definitionName: string;
  /** What the backend's `describe()` says (a folder shown relative to the project), else `package <name>`. */
  location: string;
  /** Further facts the backend gives (branch, region, ...). */
  details?: Record<string, string>;
  /** The local mirror's directory when one is kept. */
  mirror?: string;
  configFile?: string;
}

/** A backend's description as a person reads it: absolute paths shown relative to the project. */
export function describeBackend(context: CliContext, backend: SessionBackend, fallback: string): BackendDescription {
  const description = backend.describe?.();
  if (!description) return { location: fallback };
  const show = (value: string) => (path.isAbsolute(value) ? displayPath(context, value) : value);
  const details = description.details
    ? Object.fromEntries(Object.entries(description.details).map(([k, v]) => [k, show(v)]))
    : undefined;
  return { location: show(description.location), ...(details && Object.keys(details).length > 0 ? { details } : {}) };
}

/** Describe the configured storage from a loaded context: opens the primary (no I/O) and asks it. */
export async function describeContextStorage(context: CliContext): Promise<StorageDescription> {
  const settings = context.config.sessionStorage;
  const configFile = context.config.file;
  const backend = await openPrimary(context);
  try {
    const { location, details } = describeBackend(context, backend, `package ${settings.backend}`);
    return {
      backend: settings.backend,
      definitionName: backend.name,
      location,
      ...(details ? { details } : {}),
      ...(settings.mirrorLocal && settings.backend !== 'local'
        ? { mirror: displayPath(context, context.localBaseDir) }
        : {}),
      ...(configFile ? { configFile } : {}),
    };
  } finally {
    await backend.close?.().catch(() => {});
  }
}

/** Load the project's config and describe its storage. */
export async function describeStorage(options: ContextOptions): Promise<StorageDescription> {
  return describeContextStorage(await loadContext(options));
}
