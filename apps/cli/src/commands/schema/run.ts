import { RunbookError } from '@runbook/storage-core';
import { loadContext } from '../../shared/context.js';
import { writeChunk } from '../../output/stdout.js';
import { renderDdl, type Engine } from './ddl.js';

export interface SchemaCommandOptions {
  engine: Engine;
  location?: string;
  table?: string;
  since?: string;
  projectDir?: string;
}

function stringAt(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/** `s3://<bucket>/<prefix>/segments/` from the project's `sessionStorage.s3` section, when it names a bucket. */
function configuredLocation(sessionStorage: unknown): string | undefined {
  const section =
    typeof sessionStorage === 'object' && sessionStorage !== null
      ? (sessionStorage as Record<string, unknown>).s3
      : undefined;
  const bucket = stringAt(section, 'bucket');
  if (!bucket) return undefined;
  const prefix = (stringAt(section, 'prefix') ?? 'runbook/hooks/claude').replace(/^\/+|\/+$/g, '');
  return `s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}segments/`;
}

export async function runSchema(options: SchemaCommandOptions): Promise<void> {
  let location = options.location;
  if (!location) {
    const context = await loadContext({ ...(options.projectDir ? { projectDir: options.projectDir } : {}) });
    location = configuredLocation(context.config.sessionStorage);
  }
  if (!location) {
    throw new RunbookError(
      'CONFIG_INVALID',
      'schema: no bucket configured (sessionStorage.s3.bucket); give the segments location with --location s3://<bucket>/<prefix>/segments/',
    );
  }
  if (/['\\\n]/.test(location))
    throw new RunbookError(
      'CONFIG_INVALID',
      'schema: the segments location must not contain quotes, backslashes or newlines',
    );
  await writeChunk(
    renderDdl(options.engine, {
      location,
      ...(options.table ? { table: options.table } : {}),
      ...(options.since ? { since: options.since } : {}),
    }),
  );
}
