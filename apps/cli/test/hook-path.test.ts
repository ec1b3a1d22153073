import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { CLI } from './helpers/cli.js';

// The hook runs on every tool call: what it loads before storing an event is its start-up cost. Walk the
// bundle's static imports from the hook chunk and check nothing heavy is on that path.
const dist = path.dirname(CLI);

function staticImports(file: string): string[] {
  const text = readFileSync(path.join(dist, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*"(\.\/[^"]+|[a-z:/_]+)"/g)].map((m) => m[1]!);
}

function hookPath(): { files: string[]; builtins: Set<string> } {
  const entry = readFileSync(CLI, 'utf8');
  const hookChunk = /import\("\.\/(hook\.js)"\)/.exec(entry)?.[1];
  expect(hookChunk, 'the entry loads the hook chunk lazily').toBeDefined();
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

test('the entry point loads nothing but the chunk of the command it runs', () => {
  expect(staticImports(path.basename(CLI)).filter((s) => s.startsWith('./'))).toEqual([]);
});

test('the hook is one file: every extra module file costs each event start-up time', () => {
  expect(hookPath().files).toEqual(['hook.js']);
});

test('the hook path loads no argument parser, schema library, YAML parser, SDK or node:crypto', () => {
  const { files, builtins } = hookPath();
  const code = files.map((f) => readFileSync(path.join(dist, f), 'utf8')).join('\n');
  expect(code).not.toContain('CommanderError');
  expect(code).not.toMatch(/\$ZodType|ZodError/);
  expect(code).not.toContain('yaml.alias');
  expect(code).not.toMatch(/S3Client|@aws-sdk/);
  expect(code).not.toMatch(/anthropic-version|messages\/batches/);
  expect([...builtins].filter((b) => ['crypto', 'http', 'https', 'zlib', 'child_process'].includes(b))).toEqual([]);
  const bytes = files.reduce((n, f) => n + readFileSync(path.join(dist, f)).length, 0);
  expect(bytes).toBeLessThan(120_000);
  expect(readdirSync(dist).length).toBeGreaterThan(files.length);
});
