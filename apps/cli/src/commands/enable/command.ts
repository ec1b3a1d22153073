import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';
import { parseEventList } from '../../settings/events.js';

export const DEFAULT_HOOK_TIMEOUT_SECONDS = 10;

const HELP = `
Writes one hook entry per Claude Code hook event into the settings file of the chosen scope, each
running "runbook integrations claude hook". Run it again at any time: it adds what is missing and
keeps every other hook and setting, and an entry of its own that you edited (a --project-dir added to
its command, another timeout) stays as you wrote it unless you pass --command, --timeout or --async.
A settings file that is not valid JSON, or that has a key twice in one object, is reported, never
rewritten. A symlinked settings file is written through the link; the previous content is kept in
<file>.bak.

Scopes:
  project  .claude/settings.json        shared with the team through git
  local    .claude/settings.local.json  this checkout only (not committed)
  user     ~/.claude/settings.json      every project of this user

The entries are synchronous with a ${DEFAULT_HOOK_TIMEOUT_SECONDS}s timeout: events are stored in the order they happen
and before "claude -p" exits, and Claude Code cancels a hook that takes longer, so a stuck hook can
never hold the agent (the hook itself takes milliseconds and never fails the agent). --async runs it in
the background instead: it never delays the agent, but events may be stored out of order, Claude
Code does not enforce the timeout on it, and "claude -p" kills it at exit, losing the last events.

The command written is "runbook integrations claude hook" when the runbook on PATH is this one, else
this Node binary and this script by absolute path (works without a global install).

Examples:
  $ runbook integrations claude enable
  $ runbook integrations claude enable --scope user
  $ runbook integrations claude enable --events SessionStart,UserPromptSubmit,Stop,SessionEnd
  $ runbook integrations claude enable --recall

Recall (off by default): on SessionStart and UserPromptSubmit the hook adds, as context, a short block
(at most 2,000 characters) of fixes from similar past sessions and matching runbooks and postmortems,
quoted as data with where each came from. It reads the index that search, similar and recurring keep up
to date, never builds it, and prints nothing when the index is missing or slow. It needs the synchronous
hook (Claude Code ignores the output of --async hooks).
`;

function eventNames(value: string, previous: string[] = []): string[] {
  try {
    return [...previous, ...parseEventList([value])];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 600)
    throw new InvalidArgumentError('expected whole seconds between 1 and 600');
  return n;
}

export function register(claude: Command): void {
  claude
    .command('enable')
    .description('install the runbook hook in Claude Code settings for every hook event')
    .addOption(
      new Option('--scope <scope>', 'settings file to edit').choices(['project', 'local', 'user']).default('project'),
    )
    .option('--events <names...>', 'only these hook events (comma-separated or repeated; default: all)', eventNames)
    .option(
      '--timeout <seconds>',
      'seconds before Claude Code cancels the hook',
      positiveSeconds,
      DEFAULT_HOOK_TIMEOUT_SECONDS,
    )
    .option('--async', 'run the hook in the background (see below)', false)
    .option('--command <command>', 'hook command to write instead of the detected one')
    .option(
      '--project-dir <dir>',
      'project whose .claude/ to edit (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)',
    )
    .option(
      '--recall',
      'also turn on recall: past learnings relevant to a prompt are added as context (sets integrations.claude.recall.enabled in .runbook/config.yaml)',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (opts, command: Command) => {
      const { runEnable } = await import('./run.js');
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      await runEnable({
        ...opts,
        explicit: { command: given('command'), timeout: given('timeout'), async: given('async') },
      });
    });
}
