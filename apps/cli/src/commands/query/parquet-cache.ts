import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SEGMENT_COLUMNS, SEGMENT_PARTITION_COLUMN } from '@runbook/storage-core';
import { sqlString, type DuckDbConnection } from './duckdb.js';

const PARTITION = /^dt=(\d{4}-\d{2}-\d{2})$/;
const MANIFEST = 'manifest.json';

/** Segment files (`dt=<day>/*.ndjson.gz`) under each source directory, by day. */
export function findSegments(sources: string[]): Map<string, string[]> {
  const days = new Map<string, string[]>();
  for (const source of sources) {
    if (!existsSync(source)) continue;
    for (const entry of readdirSync(source, { withFileTypes: true })) {
      const day = entry.isDirectory() ? PARTITION.exec(entry.name)?.[1] : undefined;
      if (day === undefined) continue;
      const dayDir = path.join(source, entry.name);
      for (const file of readdirSync(dayDir, { withFileTypes: true })) {
        if (!file.isFile() || !file.name.endsWith('.ndjson.gz')) continue;
        let list = days.get(day);
        if (!list) days.set(day, (list = []));
        list.push(path.join(dayDir, file.name));
      }
    }
  }
  return days;
}

/** What a day's parquet file was built from: each source file's path, size and modification time. */
function signatureOf(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    const stat = statSync(file);
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** DuckDB's type for a published column type. */
export function duckDbType(type: (typeof SEGMENT_COLUMNS)[number]['type']): string {
  return type === 'int' ? 'INTEGER' : 'VARCHAR';
}

/** The published columns as `read_ndjson`'s `columns` argument. */
export function duckDbColumns(): string {
  return `{${SEGMENT_COLUMNS.map((c) => `${c.name}: ${sqlString(duckDbType(c.type))}`).join(', ')}}`;
}

export interface CacheResult {
  days: number;
  rebuilt: number;
}

/**
 * Keep one parquet file per day under `cacheDir`, built from that day's segment files (NDJSON rows are
 * portable; parquet is what makes repeated questions fast). Only days whose files changed are rebuilt,
 * all in one pass; an event found in several files (a local export and a copy synced from the bucket)
 * is kept once.
 */
export async function refreshParquetCache(
  db: DuckDbConnection,
  segments: Map<string, string[]>,
  cacheDir: string,
): Promise<CacheResult> {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  let manifest: Record<string, string> = Object.create(null) as Record<string, string>;
  try {
    manifest = Object.assign(
      Object.create(null),
      JSON.parse(readFileSync(path.join(cacheDir, MANIFEST), 'utf8')) as Record<string, string>,
    );
  } catch {
    // Missing or unreadable: every day is rebuilt.
  }
  const changed: string[] = [];
  const next: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [day, files] of segments) {
    next[day] = signatureOf(files);
    if (manifest[day] !== next[day] || !existsSync(path.join(cacheDir, `dt=${day}`))) changed.push(day);
  }
  for (const day of Object.keys(manifest))
    if (!(day in next)) rmSync(path.join(cacheDir, `dt=${day}`), { recursive: true, force: true });

  if (changed.length > 0) {
    const staging = path.join(cacheDir, `.staging-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    const files = changed.flatMap((day) => segments.get(day)!);
    const list = `[${files.map(sqlString).join(', ')}]`;
    const select = SEGMENT_COLUMNS.map((c) =>
      c.name === 'observed_at' ? `CAST(observed_at AS TIMESTAMP) AS observed_at` : c.name,
    ).join(', ');
    await db.run(
      `COPY (SELECT ${select}, ${SEGMENT_PARTITION_COLUMN} FROM read_ndjson(${list}, columns = ${duckDbColumns()}, format = 'newline_delimited', hive_partitioning = true, union_by_name = false)
        QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY observed_at) = 1)
       TO ${sqlString(staging)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${SEGMENT_PARTITION_COLUMN}))`,
    );
    for (const day of changed) {
      const target = path.join(cacheDir, `dt=${day}`);
      rmSync(target, { recursive: true, force: true });
      const built = path.join(staging, `dt=${day}`);
      if (existsSync(built)) renameSync(built, target);
    }
    rmSync(staging, { recursive: true, force: true });
  }
  writeFileSync(path.join(cacheDir, MANIFEST), JSON.stringify(next), { mode: 0o600 });
  return { days: segments.size, rebuilt: changed.length };
}

/** Create the `events` and `sessions` views over the cache (empty views with the published columns when there is nothing yet). */
export async function createViews(db: DuckDbConnection, cacheDir: string, days: number): Promise<void> {
  if (days === 0) {
    const columns = SEGMENT_COLUMNS.map(
      (c) => `${c.name} ${c.name === 'observed_at' ? 'TIMESTAMP' : duckDbType(c.type)}`,
    ).join(', ');
    await db.run(`CREATE TABLE events (${columns}, ${SEGMENT_PARTITION_COLUMN} DATE)`);
  } else {
    await db.run(
      `CREATE VIEW events AS SELECT * FROM read_parquet(${sqlString(path.join(cacheDir, 'dt=*', '*.parquet'))}, hive_partitioning = true)`,
    );
  }
  await db.run(
    `CREATE VIEW sessions AS SELECT session_id, any_value(cwd) AS cwd, min(observed_at) AS first_seen, max(observed_at) AS last_seen,
       count(*) AS events, count(*) FILTER (WHERE event_name = 'UserPromptSubmit') AS prompts,
       count(*) FILTER (WHERE outcome IS NOT NULL) AS tool_results, count(*) FILTER (WHERE outcome = 'failure') AS failures,
       sum(redaction_count) AS redactions
     FROM events GROUP BY session_id`,
  );
}
