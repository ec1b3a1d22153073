import {
  SEGMENT_COLUMNS,
  SEGMENT_PARTITION_COLUMN,
  SEGMENT_SCHEMA_VERSION,
  type SegmentColumnType,
} from '@runbook/storage-core';

export type Engine = 'athena' | 'trino' | 'spark';

export const ENGINES: readonly Engine[] = ['athena', 'trino', 'spark'];

export interface DdlOptions {
  /** Where the `dt=YYYY-MM-DD/` partitions are, e.g. `s3://bucket/prefix/segments/`. */
  location: string;
  /** Table name (default `runbook_claude_events`). */
  table?: string;
  /** First day partition projection covers (Athena; default 2025-01-01). */
  since?: string;
}

const TYPES: Record<Engine, Record<SegmentColumnType, string>> = {
  athena: { int: 'int', string: 'string' },
  trino: { int: 'integer', string: 'varchar' },
  spark: { int: 'INT', string: 'STRING' },
};

function withSlash(location: string): string {
  return location.endsWith('/') ? location : `${location}/`;
}

function columnList(engine: Engine, quote: (name: string) => string): string {
  return SEGMENT_COLUMNS.map((c) => `  ${quote(c.name)} ${TYPES[engine][c.type]}`).join(',\n');
}

function header(engine: Engine): string {
  return `-- runbook session events, segment schema v${SEGMENT_SCHEMA_VERSION} (${engine}): gzipped NDJSON rows, one per hook event,\n-- partitioned by ${SEGMENT_PARTITION_COLUMN}=YYYY-MM-DD (UTC). observed_at is ISO-8601 UTC text.\n`;
}

/** External table DDL over compacted segments for one engine. */
export function renderDdl(engine: Engine, options: DdlOptions): string {
  const table = options.table ?? 'runbook_claude_events';
  const location = withSlash(options.location);
  if (engine === 'athena') {
    const since = options.since ?? '2025-01-01';
    return `${header(engine)}CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (
${columnList(engine, (n) => `\`${n}\``)}
)
PARTITIONED BY (\`${SEGMENT_PARTITION_COLUMN}\` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION '${location}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.${SEGMENT_PARTITION_COLUMN}.type' = 'date',
  'projection.${SEGMENT_PARTITION_COLUMN}.format' = 'yyyy-MM-dd',
  'projection.${SEGMENT_PARTITION_COLUMN}.range' = '${since},NOW',
  'projection.${SEGMENT_PARTITION_COLUMN}.interval' = '1',
  'projection.${SEGMENT_PARTITION_COLUMN}.interval.unit' = 'DAYS',
  'storage.location.template' = '${location}${SEGMENT_PARTITION_COLUMN}=\${${SEGMENT_PARTITION_COLUMN}}/'
);
`;
  }
  if (engine === 'trino') {
    return `${header(engine)}-- Hive connector; register new days with: CALL system.sync_partition_metadata('<schema>', '${table}', 'ADD')
CREATE TABLE IF NOT EXISTS ${table} (
${columnList(engine, (n) => `"${n}"`)},
  "${SEGMENT_PARTITION_COLUMN}" varchar
)
WITH (
  external_location = '${location}',
  format = 'JSON',
  partitioned_by = ARRAY['${SEGMENT_PARTITION_COLUMN}']
);
`;
  }
  return `${header(engine)}-- Spark SQL; register new days with: MSCK REPAIR TABLE ${table}
CREATE TABLE IF NOT EXISTS ${table} (
${columnList(engine, (n) => `\`${n}\``)},
  \`${SEGMENT_PARTITION_COLUMN}\` STRING
)
USING json
PARTITIONED BY (\`${SEGMENT_PARTITION_COLUMN}\`)
LOCATION '${location.replace(/^s3:\/\//, 's3a://')}';
`;
}
