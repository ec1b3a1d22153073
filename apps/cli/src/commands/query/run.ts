import path from 'node:path';
import { createLocalBackend } from '@runbook/storage-local';
import { loadContext } from '../../shared/context.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { renderTable } from '../../output/text.js';
import { openDuckDb } from './duckdb.js';
import { exportSegments } from './local-segments.js';
import { createViews, findSegments, refreshParquetCache } from './parquet-cache.js';

export interface QueryCommandOptions {
  json?: boolean;
  csv?: boolean;
  /** Extra directories of date-partitioned segments (e.g. a bucket's `segments/` synced down). */
  segments?: string[];
  refresh?: boolean;
  projectDir?: string;
}

type Cell = string | number | boolean | null;

/** A DuckDB value as plain JSON: big integers as numbers when exact, times as ISO strings. */
function plain(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function csvCell(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Neutralise control characters so stored content cannot drive the terminal. */
function printable(cell: Cell): string {
  return cell === null ? '' : String(cell).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** The directory segments of the local store are exported to: beside its sessions. */
export function localSegmentsDir(localBaseDir: string): string {
  return path.join(localBaseDir, 'segments');
}

export async function runQuery(sql: string, options: QueryCommandOptions): Promise<void> {
  const context = await loadContext({ ...(options.projectDir ? { projectDir: options.projectDir } : {}) });
  const segmentsDir = localSegmentsDir(context.localBaseDir);
  if (options.refresh !== false)
    await exportSegments(createLocalBackend({ baseDir: context.localBaseDir }), segmentsDir);
  const sources = [segmentsDir, ...(options.segments ?? []).map((dir) => path.resolve(dir))];
  const { connection, close } = await openDuckDb();
  try {
    const cacheDir = path.join(context.projectDir, '.runbook', 'cache', 'query');
    const segments = findSegments(sources);
    await refreshParquetCache(connection, segments, cacheDir);
    await createViews(connection, cacheDir, segments.size);
    let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
    try {
      reader = await connection.runAndReadAll(sql);
    } catch (error) {
      throw new Error(`query failed: ${(error as Error).message.split('\n')[0]}`);
    }
    const columns = reader.columnNames();
    const rows = reader.getRowObjectsJS().map((row) => Object.fromEntries(columns.map((c) => [c, plain(row[c])])));
    if (options.json) {
      await writeJson(rows);
    } else if (options.csv) {
      await writeChunk(`${columns.map((c) => csvCell(c)).join(',')}\n`);
      for (const row of rows) await writeChunk(`${columns.map((c) => csvCell(row[c] ?? null)).join(',')}\n`);
    } else {
      await writeChunk(
        renderTable(
          columns.map((header) => ({ header: printable(header) })),
          rows.map((row) => columns.map((c) => printable(row[c] ?? null))),
        ),
      );
      if (rows.length === 0) warn('no rows');
    }
  } finally {
    close();
  }
}
