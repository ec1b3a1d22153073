import { fstatSync, readSync, statSync } from 'node:fs';

export interface StdinContents {
  /** At most `keepBytes` of what arrived. */
  data: Buffer;
  /** Everything that arrived, kept or not. */
  totalBytes: number;
}

/** Collects input, keeping at most `keepBytes` but counting all of it. */
class Collector {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  totalBytes = 0;

  constructor(private readonly keepBytes: number) {}

  add(buf: Buffer): void {
    this.totalBytes += buf.length;
    if (this.kept >= this.keepBytes) return;
    const part = buf.length <= this.keepBytes - this.kept ? buf : buf.subarray(0, this.keepBytes - this.kept);
    this.chunks.push(part);
    this.kept += part.length;
  }

  result(): StdinContents {
    return {
      data: this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks),
      totalBytes: this.totalBytes,
    };
  }
}

/** Read all of a stream, keeping at most `keepBytes` of it. */
export async function readStdin(
  stream: NodeJS.ReadableStream,
  keepBytes: number,
  collector = new Collector(keepBytes),
): Promise<StdinContents> {
  for await (const chunk of stream) collector.add(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return collector.result();
}

/**
 * Read all of standard input straight from file descriptor 0. Going through `process.stdin` would set up
 * sockets and streams that cost every hook process several milliseconds; a non-blocking descriptor
 * (EAGAIN) falls back to it.
 */
export async function readStdinFd(keepBytes: number): Promise<StdinContents> {
  const collector = new Collector(keepBytes);
  const buf = Buffer.allocUnsafe(256 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return readStdin(process.stdin, keepBytes, collector);
      if (code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    collector.add(Buffer.from(buf.subarray(0, n)));
  }
  return collector.result();
}

/** Whether standard input is a terminal (someone ran the hook by hand), without loading `tty`. */
export function stdinIsTerminal(): boolean {
  try {
    const stdin = fstatSync(0);
    return stdin.isCharacterDevice() && stdin.rdev !== statSync('/dev/null').rdev;
  } catch {
    return false;
  }
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
Always exits 0, so it can never break or block the agent; problems are reported as one "runbook: ..."
line on stderr. Prints nothing on stdout, except with recall enabled (integrations.claude.recall.enabled:
true in .runbook/config.yaml): then, for SessionStart and UserPromptSubmit only, past learnings relevant
to the prompt, quoted as data, as hookSpecificOutput.additionalContext.

Options:
  --project-dir <dir>  project whose .runbook/config.yaml and storage to use
                       (default: $CLAUDE_PROJECT_DIR, else nearest directory with .runbook/, else cwd)
  -h, --help           show this help

Install it for every Claude Code hook event with:
  runbook integrations claude enable            (project: .claude/settings.json)
  runbook integrations claude enable --scope user
`;
