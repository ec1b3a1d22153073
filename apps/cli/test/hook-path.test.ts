import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { CLI } from './helpers/cli.js';

// The hook runs on every tool call: what it loads before storing an event is its start-up cost. Walk the
// bundle's static imports from the hook chunk and check nothing heavy is on that path.
const dist = path.dirname(CLI);

function staticImports(file: string): string[] {
  const text = readFileSync(path.join(dist, file), 'utf8');
  // Static ES imports and CommonJS requires; `import()` is lazy and not followed.
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*|\brequire\()"(\.\/[^"]+|[a-z:/_]+)"/g)].map((m) => m[1]!);
}

function hookPath(): { files: string[]; builtins: Set<string> } {
  const entry = readFileSync(CLI, 'utf8');
  const hookChunk = /\("\.\/(hook\.cjs)"\)/.exec(entry)?.[1];
  expect(hookChunk, 'the entry loads the hook file lazily').toBeDefined();
  const files: string[] = [];
  const builtins = new Set<string>();
  const queue = [hookChunk!];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('./')) queue.push(spec.slice(2));
      else builtins.add(spec.replace(/^node:/, ''));
    }
  }
  return { files, builtins };
}

test('the entry point loads nothing but the file of the command it runs', () => {
  expect(staticImports(path.basename(CLI)).filter((s) => s.startsWith('./'))).toEqual([]);
  expect(path.basename(CLI)).toBe('runbook.cjs');
});

test('the hook is one file: every extra module file costs each event start-up time', () => {
  expect(hookPath().files).toEqual(['hook.cjs']);
});

test('the hook path loads no argument parser, schema library, YAML parser, SDK or node:crypto', () => {
  const { files, builtins } = hookPath();
  const code = files.map((f) => readFileSync(path.join(dist, f), 'utf8')).join('\n');
  expect(code).not.toContain('CommanderError');
  expect(code).not.toMatch(/\$ZodType|ZodError/);
  expect(code).not.toContain('yaml.alias');
  expect(code).not.toMatch(/S3Client|@aws-sdk/);
  expect(code).not.toMatch(/anthropic-version|messages\/batches/);
  // fs/promises (and, through an ES import of node:fs, readline and the streams) are not loaded either.
  expect(
    [...builtins].filter((b) =>
      ['crypto', 'http', 'https', 'zlib', 'child_process', 'fs/promises', 'net', 'tty'].includes(b),
    ),
  ).toEqual([]);
  const bytes = files.reduce((n, f) => n + readFileSync(path.join(dist, f)).length, 0);
  expect(bytes).toBeLessThan(120_000);
  expect(readdirSync(dist).length).toBeGreaterThan(files.length);
});
