import {
  createCompositeStore,
  createOutboxStore,
  describeError,
  openOutbox,
  parseBackendConfig,
  parseOutboxConfig,
  type BackendDefinition,
  type MirrorFailure,
  type SessionBackend,
} from '@runbook/storage-core';
import localBackend, { createLocalBackend } from '@runbook/storage-local';
import { loadBackendDefinition } from './backends.js';
import { displayPath, type CliContext } from './context.js';
import { warn } from '../output/stdout.js';
import { ensureDrainer } from './drainer-start.js';

export interface OpenStoreOptions {
  /** Told when a mirror write fails (the primary's result still stands). */
  onMirrorFailure?: (failure: MirrorFailure) => void;
  /**
   * Write through the outbox (the hook with `upload: inline`): with a remote primary each event is made
   * durable on local disk first, then uploaded within `outbox.budgetMs`; what is left waits for the
   * background drainer or `sync`.
   */
  durable?: boolean;
}

/** The configured store: the primary backend, plus the local mirror when `mirrorLocal` and the primary is not local. */
export async function openStore(context: CliContext, options: OpenStoreOptions = {}): Promise<SessionBackend> {
  const primary = await openPrimary(context);
  if (context.config.sessionStorage.backend === 'local') return primary;
  if (options.durable) return openDurableStore(context, primary, options);
  if (!context.config.sessionStorage.mirrorLocal) return primary;
  return createCompositeStore({
    primary,
    mirrors: [createLocalBackend({ baseDir: context.localBaseDir })],
    onMirrorFailure:
      options.onMirrorFailure ?? ((f) => warn(`local mirror ${f.operation} failed: ${describeError(f.error)}`)),
  });
}

/** The definition of the configured `backend:`: built in, or an installed package's. */
export async function primaryDefinition(context: CliContext): Promise<BackendDefinition<unknown>> {
  const settings = context.config.sessionStorage;
  if (settings.backend === 'local') return localBackend as BackendDefinition<unknown>;
  return loadBackendDefinition(settings.backend, context.projectDir, context.config.file);
}

/** The configured primary backend alone: no mirror, no outbox (what `sync` sends to). */
export async function openPrimary(
  context: CliContext,
  definition?: BackendDefinition<unknown>,
): Promise<SessionBackend> {
  const chosen = definition ?? (await primaryDefinition(context));
  return chosen.create(parseBackendConfig(chosen, context.config), {
    projectDir: context.projectDir,
    localBaseDir: context.localBaseDir,
    env: context.env,
  });
}

/** A remote primary behind the outbox, plus the local mirror when `mirrorLocal`. */
function openDurableStore(context: CliContext, primary: SessionBackend, options: OpenStoreOptions): SessionBackend {
  const outboxConfig = parseOutboxConfig(context.config, context.localBaseDir);
  const outbox = openOutbox({ dir: outboxConfig.dir, fsync: outboxConfig.fsync });
  const say = (line: string) => warn(line);
  return createOutboxStore({
    outbox,
    primary,
    mirrors: context.config.sessionStorage.mirrorLocal ? [createLocalBackend({ baseDir: context.localBaseDir })] : [],
    budgetMs: outboxConfig.budgetMs,
    onMirrorFailure:
      options.onMirrorFailure ?? ((f) => say(`local mirror ${f.operation} failed: ${describeError(f.error)}`)),
    onUploadFailure: (error, _record, { timedOut }) =>
      say(
        `${timedOut ? `upload to ${primary.name} did not finish within ${outboxConfig.budgetMs} ms (outbox.budgetMs)` : `upload to ${primary.name} failed: ${describeError(error)}`}; the event waits in ${displayPath(context, outbox.dir)} (runbook integrations claude sync sends it)`,
      ),
    ...(outboxConfig.background
      ? {
          onPending: () =>
            void ensureDrainer({ projectDir: context.projectDir, outboxDir: outbox.dir, env: context.env }),
        }
      : {}),
  });
}
