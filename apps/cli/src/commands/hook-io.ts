/** Read all of stdin, keeping at most `keepBytes` of it; `totalBytes` counts everything that arrived. */
export async function readStdin(stream: NodeJS.ReadableStream, keepBytes: number): Promise<{ data: Buffer; totalBytes: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let totalBytes = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    totalBytes += buf.length;
    if (kept < keepBytes) {
      const part = buf.length <= keepBytes - kept ? buf : buf.subarray(0, keepBytes - kept);
      chunks.push(part);
      kept += part.length;
    }
  }
  return { data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), totalBytes };
}

/** Options of `hook`, parsed by hand: the hook path does not load commander. */
export interface HookArgs {
  projectDir?: string;
  help: boolean;
  unknown?: string;
}

export function parseHookArgs(args: string[]): HookArgs {
  const parsed: HookArgs = { help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg === '--project-dir') parsed.projectDir = args[++i];
    else if (arg.startsWith('--project-dir=')) parsed.projectDir = arg.slice('--project-dir='.length);
    else parsed.unknown ??= arg;
  }
  return parsed;
}

export const HOOK_HELP = `Usage: runbook integrations claude hook [--project-dir <dir>]

Reads one Claude Code hook event (JSON) on stdin and stores it in the configured session storage.
Prints nothing on stdout and always exits 0, so it can never break or block the agent; problems are
reported as one "runbook: ..." line on stderr.

Options:
  --project-dir <dir>  project whose .runbook/config.yaml and storage to use
                       (default: $CLAUDE_PROJECT_DIR, else nearest directory with .runbook/, else cwd)
  -h, --help           show this help

Install it for every Claude Code hook event with:
  runbook integrations claude enable            (project: .claude/settings.json)
  runbook integrations claude enable --scope user
`;
