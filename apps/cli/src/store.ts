import { createCompositeStore, describeError, parseBackendConfig, type MirrorFailure, type SessionBackend } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { loadBackendDefinition } from './backends.js';
import type { CliContext } from './context.js';

export interface OpenStoreOptions {
  /** Told when a mirror write fails (the primary's result still stands). */
  onMirrorFailure?: (failure: MirrorFailure) => void;
}

/** The configured store: the primary backend, plus the local mirror when `mirrorLocal` and the primary is not local. */
export async function openStore(context: CliContext, options: OpenStoreOptions = {}): Promise<SessionBackend> {
  const settings = context.config.sessionStorage;
  if (settings.backend === 'local') return createLocalBackend({ baseDir: context.localBaseDir });
  const definition = await loadBackendDefinition(settings.backend, context.projectDir);
  const config = parseBackendConfig(definition, context.config);
  const primary = await definition.create(config, { projectDir: context.projectDir, localBaseDir: context.localBaseDir, env: context.env });
  if (!settings.mirrorLocal) return primary;
  return createCompositeStore({
    primary,
    mirrors: [createLocalBackend({ baseDir: context.localBaseDir })],
    onMirrorFailure: options.onMirrorFailure ?? ((f) => process.stderr.write(`runbook: local mirror ${f.operation} failed: ${describeError(f.error)}\n`)),
  });
}
