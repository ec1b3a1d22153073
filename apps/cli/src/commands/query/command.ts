import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

const HELP = `
Runs SQL with DuckDB (an optional dependency, loaded by this command only) over the project's sessions.
Views:
  events    one row per stored hook event, in the published segment columns (see: schema) plus dt (day)
  sessions  one row per session: cwd, first_seen, last_seen, events, prompts, tool_results, failures, redactions

The local store is exported to date-partitioned segments (<localBaseDir>/segments/dt=YYYY-MM-DD/) first,
incrementally; add segments of other machines with --segments, e.g. a bucket's compacted segments synced
down with "aws s3 sync s3://<bucket>/<prefix>/segments ./org-segments". Days are cached as parquet under
.runbook/cache/query/ and rebuilt only when their segments change.

Examples:
  $ runbook integrations claude query "select tool_name, count(*) from events where outcome = 'failure' group by 1 order by 2 desc"
  $ runbook integrations claude query "select * from sessions order by last_seen desc limit 10" --json
  $ runbook integrations claude query "select dt, count(*) from events group by dt" --segments ./org-segments --csv
`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function register(claude: Command): void {
  claude
    .command('query')
    .description('run SQL (DuckDB) over stored sessions: views events and sessions')
    .argument('<sql>', 'the SQL to run')
    .option('--json', 'print rows as a JSON array')
    .option('--csv', 'print rows as CSV')
    .option('--segments <dir>', 'also read date-partitioned segments from this directory (repeatable)', collect)
    .option('--no-refresh', 'do not export the local store first (query what was exported and synced before)')
    .option(
      '--project-dir <dir>',
      'project whose sessions to query (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)',
    )
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(
      async (
        sql: string,
        opts: { json?: boolean; csv?: boolean; segments?: string[]; refresh?: boolean; projectDir?: string },
        command: Command,
      ) => {
        if (opts.json && opts.csv) command.error('error: give --json or --csv, not both', { exitCode: 2 });
        const { runQuery } = await import('./run.js');
        await runQuery(sql, opts);
      },
    );
}
