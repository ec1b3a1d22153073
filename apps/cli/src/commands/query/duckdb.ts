import { RunbookError } from '@runbook/storage-core';

/** The part of `@duckdb/node-api` this command uses. */
export interface DuckDbConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ columnNames(): string[]; getRowObjectsJS(): Record<string, unknown>[] }>;
  closeSync(): void;
}

interface DuckDbModule {
  DuckDBInstance: {
    create(
      path: string,
      options?: Record<string, string>,
    ): Promise<{ connect(): Promise<DuckDbConnection>; closeSync(): void }>;
  };
}

export const DUCKDB_PACKAGE = '@duckdb/node-api';

/**
 * An in-memory DuckDB connection. DuckDB is an optional dependency of the CLI, loaded by `query` alone:
 * without it every other command works and this one says how to add it.
 */
export async function openDuckDb(): Promise<{ connection: DuckDbConnection; close(): void }> {
  let mod: DuckDbModule;
  try {
    mod = (await import(DUCKDB_PACKAGE)) as DuckDbModule;
  } catch (error) {
    throw new RunbookError(
      'CAPABILITY_MISSING',
      `query needs DuckDB, an optional dependency that is not installed (${(error as Error).message.split('\n')[0]}); install it beside the CLI: npm i -g ${DUCKDB_PACKAGE}`,
    );
  }
  const instance = await mod.DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A string as a SQL literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
