import { positionals } from './commands.js';
import { programWords, splitShellSegments } from './shell.js';

/** Programs whose output is search hits or file listings: matches are not errors. */
const SEARCH_PROGRAMS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'find', 'fd', 'locate', 'zgrep']);
/** Programs that only filter or count what comes before them in a pipeline. */
const FILTERS = new Set([
  'head',
  'tail',
  'sort',
  'uniq',
  'wc',
  'cut',
  'tr',
  'less',
  'more',
  'column',
  'xargs',
  'cat',
  'nl',
  'awk',
  'sed',
  'jq',
]);
/** Linters and formatters: their findings are warnings about code, not the session's errors. */
const LINT_PROGRAMS = new Set([
  'eslint',
  'biome',
  'oxlint',
  'ruff',
  'pylint',
  'flake8',
  'shellcheck',
  'stylelint',
  'markdownlint',
  'golangci-lint',
  'rubocop',
  'prettier',
  'hadolint',
  'yamllint',
  'mypy',
  'black',
  'isort',
  'clippy',
]);
const SCRIPT_RUNNERS = new Set([
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'npx',
  'make',
  'just',
  'cargo',
  'go',
  'uv',
  'poetry',
  'turbo',
]);
const CHECK_WORDS = /^(test|tests|check|checks|lint|typecheck|type-check|build|verify|vet|spec|e2e|ci|clippy)(:.*)?$/;
const TEST_PROGRAMS = new Set([
  'vitest',
  'jest',
  'pytest',
  'mocha',
  'tsc',
  'playwright',
  'rspec',
  'phpunit',
  'ava',
  'tap',
]);

function segments(command: string): string[][] {
  return splitShellSegments(command)
    .map((s) => programWords(s.words))
    .filter((w) => w.length > 0);
}

function isSearchSegment(words: string[]): boolean {
  const [program, ...args] = words;
  if (!program) return false;
  if (SEARCH_PROGRAMS.has(program)) return true;
  if (program === 'git')
    return ['grep', 'log', 'ls-files', 'show', 'blame', 'diff', 'status'].includes(positionals(args)[0] ?? '');
  return false;
}

function isLintSegment(words: string[]): boolean {
  const [program, ...args] = words;
  if (!program) return false;
  if (LINT_PROGRAMS.has(program)) return true;
  const pos = positionals(args);
  if (program === 'npx' || program === 'pnpx' || program === 'bunx') return LINT_PROGRAMS.has(pos[0] ?? '');
  if (SCRIPT_RUNNERS.has(program)) {
    const script = pos[0] === 'run' || pos[0] === 'exec' ? pos[1] : pos[0];
    return script !== undefined && /^(lint|format|fmt|clippy)(:.*)?$/.test(script);
  }
  return false;
}

/**
 * A command whose output is search results, file listings or lint findings: every step of its pipeline
 * searches, lints or only filters what a search found (`grep -rn error src | head`). Its matches are
 * not error evidence. A search downstream of something else (`kubectl logs x | grep error`) is not one.
 */
export function isSearchOrLintCommand(command: string): boolean {
  const all = segments(command);
  if (all.length === 0) return false;
  const first = all[0]!;
  if (!isSearchSegment(first) && !isLintSegment(first)) return false;
  return all.slice(1).every((w) => isSearchSegment(w) || isLintSegment(w) || FILTERS.has(w[0]!));
}

/** Whether a command is only a search (grep and friends); a search that finds nothing exits 1. */
export function isSearchCommand(command: string): boolean {
  const all = segments(command);
  return (
    all.length > 0 && isSearchSegment(all[0]!) && all.slice(1).every((w) => isSearchSegment(w) || FILTERS.has(w[0]!))
  );
}

/** A command that checks work: tests, type checks, lint, builds (`pnpm test`, `cargo check`, `pytest`). */
export function isCheckCommand(command: string): boolean {
  return segments(command).some((words) => {
    const [program, ...args] = words;
    if (!program) return false;
    if (TEST_PROGRAMS.has(program) || isLintSegment(words)) return true;
    if (program === 'python' || program === 'python3') return args[0] === '-m' && TEST_PROGRAMS.has(args[1] ?? '');
    if (!SCRIPT_RUNNERS.has(program)) return false;
    const pos = positionals(args);
    const script = pos[0] === 'run' || pos[0] === 'exec' || pos[0] === 'x' ? pos[1] : pos[0];
    return script !== undefined && (CHECK_WORDS.test(script) || TEST_PROGRAMS.has(script));
  });
}

/** The first line of a command, with `…` when more lines follow (heredocs, scripts): for one-line summaries. */
export function commandFirstLine(command: string): string {
  const trimmed = command.trim();
  const nl = trimmed.indexOf('\n');
  return nl === -1 ? trimmed : `${trimmed.slice(0, nl).trimEnd()} …`;
}
