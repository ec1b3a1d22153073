import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';
import type { Engine } from './ddl.js';

const HELP = `
Prints the external table definition for the compacted segments in the bucket (compact writes them
under <prefix>/segments/dt=YYYY-MM-DD/), so Athena, Trino or Spark query every team's sessions where they
are. The location comes from sessionStorage.s3 (bucket, prefix) or --location. Columns: the published
segment schema (event_id, session_id, event_name, observed_at, cwd, tool_name, outcome, error_text,
redaction_count, payload, ...), partitioned by dt.

Examples:
  $ runbook integrations claude schema --athena
  $ runbook integrations claude schema --trino --location s3://team-sessions/runbook/hooks/claude/segments/
`;

export function register(claude: Command): void {
  claude
    .command('schema')
    .description('print external table DDL (Athena, Trino, Spark) for the compacted segments in the bucket')
    .option('--athena', 'Athena DDL with partition projection (the default)')
    .option('--trino', 'Trino (Hive connector) DDL')
    .option('--spark', 'Spark SQL DDL')
    .option('--location <url>', 'where the dt= partitions are (default: from sessionStorage.s3)')
    .option('--table <name>', 'table name (default runbook_claude_events)')
    .option('--since <yyyy-mm-dd>', 'first day partition projection covers (Athena; default 2025-01-01)')
    .option('--project-dir <dir>', 'project whose config names the bucket')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(
      async (
        opts: {
          athena?: boolean;
          trino?: boolean;
          spark?: boolean;
          location?: string;
          table?: string;
          since?: string;
          projectDir?: string;
        },
        command: Command,
      ) => {
        const chosen = (['athena', 'trino', 'spark'] as const).filter((engine) => opts[engine]);
        if (chosen.length > 1) command.error('error: give one of --athena, --trino, --spark', { exitCode: 2 });
        if (opts.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.since))
          command.error('error: --since expects YYYY-MM-DD', { exitCode: 2 });
        if (opts.table !== undefined && !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(opts.table))
          command.error('error: --table expects a plain SQL name', { exitCode: 2 });
        if (opts.location !== undefined && /['\\\n]/.test(opts.location))
          command.error('error: --location must not contain quotes, backslashes or newlines', { exitCode: 2 });
        const engine: Engine = chosen[0] ?? 'athena';
        const { runSchema } = await import('./run.js');
        await runSchema({ engine, ...opts });
      },
    );
}
