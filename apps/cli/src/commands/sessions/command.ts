import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';
import { parseSince } from '../../output/duration.js';

function sinceOption(value: string): string {
  if (!parseSince(value))
    throw new InvalidArgumentError('expected an age such as 7d, 12h, 30m, or a date such as 2026-03-01');
  return value;
}

function portOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return n;
}

function limitOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number (0 = no limit)');
  return n;
}

const LIST_HELP = `
Lists stored sessions, most recently active first: id, first and last event time, number of events
and the first prompt. Works with every backend that can list sessions.

Examples:
  $ runbook integrations claude sessions list
  $ runbook integrations claude sessions list --since 7d --limit 50
  $ runbook integrations claude sessions list --json | jq -r '.[].sessionId'
`;

const SHOW_HELP = `
Prints a session as a timeline: time, time since the start, event and what happened (prompts, tool
calls and their results, failures, stops).

Examples:
  $ runbook integrations claude sessions show 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42
  $ runbook integrations claude sessions show 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42 --json
`;

const SERVE_HELP = `
Serves a read-only viewer of this project's sessions on 127.0.0.1: the sessions list, each session's
timeline (tool calls as bars from call to result, failures in red with their error, prompts and agent
messages, subagents in their own lanes, compactions marked; j/k move, Enter opens a step's payloads) and
its learning artifacts. A random port unless --port; the printed URL carries a random access token, and
requests naming another host are refused. Content is redacted as the hook redacts it.

Examples:
  $ runbook integrations claude sessions serve --open
  $ runbook integrations claude sessions serve --port 7420
`;

const EXPORT_HELP = `
Writes every stored event of a session to stdout as it is read (constant memory, any session size):
ndjson is one stored record per line, json is one array.

Examples:
  $ runbook integrations claude sessions export 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42 > session.ndjson
  $ runbook integrations claude sessions export 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42 --format json | jq length
`;

async function runTranscript(sessionId: string, opts: { projectDir?: string; subagent?: string }): Promise<void> {
  const { runTranscriptOutput } = await import('./transcript.js');
  await runTranscriptOutput(sessionId, {
    ...(opts.projectDir ? { projectDir: opts.projectDir } : {}),
    ...(opts.subagent ? { subagent: opts.subagent } : {}),
  });
}

export function register(claude: Command): void {
  const sessions = claude.command('sessions').description('browse stored sessions: list, show, export, serve');
  const projectDir = (): Option =>
    new Option(
      '--project-dir <dir>',
      'project whose storage to read (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)',
    );

  sessions
    .command('list')
    .description('list stored sessions, newest first')
    .option('--since <age|date>', 'only sessions active since then (e.g. 7d, 12h, 2026-03-01)', sinceOption)
    .option('--limit <n>', 'show at most n sessions (0 = all)', limitOption, 20)
    .option('--json', 'print the sessions as a JSON array')
    .addOption(projectDir())
    .addHelpText('after', () => `${LIST_HELP}${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { runSessionsList } = await import('./list.js');
      await runSessionsList(opts);
    });

  sessions
    .command('show')
    .description('print one session as a readable timeline')
    .argument('<session-id>', 'the session id (see sessions list)')
    .option('--json', 'print the timeline as JSON')
    .option('--transcript', 'print the archived Claude Code transcript (JSONL, line for line) instead')
    .option('--subagent <agent-id>', "with --transcript: a subagent's transcript instead of the main one")
    .option('--html', 'print the timeline as one self-contained HTML file (no network), e.g. > session.html')
    .addOption(projectDir())
    .addHelpText('after', () => `${SHOW_HELP}${EXIT_CODES_HELP}`)
    .action(async (sessionId: string, opts, command: Command) => {
      if (opts.transcript) return runTranscript(sessionId, opts);
      if (opts.html) {
        if (opts.json) command.error('error: give --json or --html, not both', { exitCode: 2 });
        const { runSessionsHtml } = await import('./viewer/run.js');
        return runSessionsHtml(sessionId, opts);
      }
      const { runSessionsShow } = await import('./show.js');
      await runSessionsShow(sessionId, opts);
    });

  sessions
    .command('serve')
    .description('serve a read-only web viewer of the sessions on 127.0.0.1')
    .option('--port <n>', 'port to listen on (default: a free one)', portOption)
    .option('--open', 'open the viewer in the default browser')
    .addOption(projectDir())
    .addHelpText('after', () => `${SERVE_HELP}${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { runSessionsServe } = await import('./viewer/run.js');
      await runSessionsServe(opts);
    });

  sessions
    .command('export')
    .description("stream one session's stored events to stdout")
    .argument('<session-id>', 'the session id (see sessions list)')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'json']).default('ndjson'))
    .option('--transcript', 'stream the archived Claude Code transcript (JSONL, line for line) instead of the events')
    .option('--subagent <agent-id>', "with --transcript: a subagent's transcript instead of the main one")
    .option('--raw', "write events exactly as stored, without the redaction the hook applies (for the data's owner)")
    .addOption(projectDir())
    .addHelpText('after', () => `${EXPORT_HELP}${EXIT_CODES_HELP}`)
    .action(async (sessionId: string, opts) => {
      if (opts.transcript) return runTranscript(sessionId, opts);
      const { runSessionsExport } = await import('./export.js');
      await runSessionsExport(sessionId, opts);
    });
}
