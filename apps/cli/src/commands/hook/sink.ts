import {
  createSpoolStore,
  describeError,
  openOutbox,
  parseOutboxConfig,
  type AppendOutcome,
  type StoredRecord,
} from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import type { CliContext } from '../../shared/context.js';
import { ensureDrainer, WAKING_EVENTS } from '../../shared/drainer-start.js';
import { fallbackOutboxDir } from '../../shared/outboxes.js';
import { openStore } from '../../shared/store.js';
import { findBackendPackage, isBuiltinBackend } from '../../shared/backends.js';

/** Where the hook puts its one event. */
export interface EventSink {
  append(record: StoredRecord): Promise<AppendOutcome>;
  close?(): Promise<void>;
}

const say = (line: string) => process.stderr.write(`runbook: ${line}\n`);

/**
 * The hook's store. Local primary: the local backend. Remote primary with `upload: spool` (the
 * default): the outbox plus the local mirror, and a drainer started (or woken on Stop/SessionEnd)
 * on close; no backend code is loaded. `upload: inline`: the outbox store, which also uploads
 * within `outbox.budgetMs`.
 */
export async function openHookSink(context: CliContext): Promise<EventSink> {
  const settings = context.config.sessionStorage;
  if (settings.backend === 'local' || settings.upload === 'inline') return openStore(context, { durable: true });
  // Not loaded here, but a path or URL, or a package installed nowhere, is said now (and the event kept locally).
  if (!isBuiltinBackend(settings.backend))
    findBackendPackage(settings.backend, context.projectDir, context.config.file);
  const outboxConfig = parseOutboxConfig(context.config, context.localBaseDir);
  const outbox = openOutbox({ dir: outboxConfig.dir, fsync: outboxConfig.fsync });
  return createSpoolStore({
    outbox,
    mirrors: settings.mirrorLocal ? [createLocalBackend({ baseDir: context.localBaseDir })] : [],
    onMirrorFailure: (f) => say(`local mirror ${f.operation} failed: ${describeError(f.error)}`),
    onSpooled: (records) => {
      if (!outboxConfig.background) return;
      ensureDrainer({
        projectDir: context.projectDir,
        outboxDir: outbox.dir,
        env: context.env,
        wake: records.some((r) => WAKING_EVENTS.has(r.eventName)),
      });
    },
  });
}

/**
 * Where the event goes when the config cannot be read: a local copy under the default local base
 * directory, and the default outbox, from which `sync` (or the drainer, once the config is fixed)
 * sends it to the backend the config names.
 */
export function openFallbackSink(projectDir: string, localBaseDir: string): EventSink {
  return createSpoolStore({
    outbox: openOutbox({ dir: fallbackOutboxDir(projectDir) }),
    mirrors: [createLocalBackend({ baseDir: localBaseDir })],
    onMirrorFailure: (f) => say(`local copy failed: ${describeError(f.error)}`),
  });
}
