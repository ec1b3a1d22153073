import path from 'node:path';
import { parseBackendConfig } from '@runbook/storage-core';
import { loadBackendDefinition } from './backends.js';
import { displayPath, loadContext, type CliContext, type ContextOptions } from './context.js';

/** Where sessions are stored, in words. */
export interface StorageDescription {
  /** The configured `backend:` value. */
  backend: string;
  /** The backend definition's own name (`local`, `s3`, or a package's). */
  definitionName: string;
  /** `.runbook/hooks/claude`, `s3://bucket/prefix (endpoint ...)`, or the package name. */
  location: string;
  /** The local mirror's directory when one is kept. */
  mirror?: string;
  configFile?: string;
}

function s3Location(config: Record<string, unknown>): string {
  const prefix = typeof config.prefix === 'string' && config.prefix ? `/${config.prefix}` : '';
  const endpoint = typeof config.endpoint === 'string' ? ` at ${config.endpoint}` : '';
  const region = typeof config.region === 'string' ? ` (${config.region})` : '';
  return `s3://${String(config.bucket)}${prefix}${endpoint}${region}`;
}

/** Describe the configured storage from a loaded context; loads (but does not open) the backend. */
export async function describeContextStorage(context: CliContext): Promise<StorageDescription> {
  const settings = context.config.sessionStorage;
  const local = displayPath(context, context.localBaseDir);
  const configFile = context.config.file;
  if (settings.backend === 'local') return { backend: 'local', definitionName: 'local', location: local, ...(configFile ? { configFile } : {}) };
  const definition = await loadBackendDefinition(settings.backend, context.projectDir, context.config.file);
  const config = parseBackendConfig(definition, context.config) as Record<string, unknown>;
  let location: string;
  if (definition.name === 's3' && typeof config.bucket === 'string') location = s3Location(config);
  else if (typeof config.dir === 'string') location = displayPath(context, path.resolve(context.projectDir, config.dir));
  else location = `package ${settings.backend}`;
  return {
    backend: settings.backend,
    definitionName: definition.name,
    location,
    ...(settings.mirrorLocal ? { mirror: local } : {}),
    ...(configFile ? { configFile } : {}),
  };
}

/** Load the project's config and describe its storage. */
export async function describeStorage(options: ContextOptions): Promise<StorageDescription> {
  return describeContextStorage(await loadContext(options));
}
