// Shared by the benchmark scripts: where things are, command-line flags, and the median.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const argv = process.argv.slice(2);

/** `--name value` (or `--name` alone: true), else `fallback`. */
export function flag(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const next = argv[i + 1];
  return next === undefined || next.startsWith('--') ? true : next;
}

/** The built CLI, or the one named by `--cli` (a copy survives rebuilds of apps/cli/dist during a run). */
export const cli = path.resolve(String(flag('cli', path.join(root, 'apps/cli/dist/runbook.cjs'))));

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
