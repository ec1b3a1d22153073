import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { findCycles, importGraph, sourceFiles, workspacePackages } from './import-graph.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const packages = workspacePackages(ROOT);

function cyclesIn(src: string): string[] {
  return findCycles(importGraph(sourceFiles(src))).map((cycle) => cycle.map((f) => path.relative(src, f)).join(' → '));
}

describe('no import cycles in any package', () => {
  test('finds the packages', () => {
    expect(packages.map((p) => path.relative(ROOT, p))).toEqual(
      expect.arrayContaining(['apps/cli', 'packages/storage-core', 'packages/hook-ingest']),
    );
  });

  test.each(packages.map((p) => [path.relative(ROOT, p), p]))('%s/src', (_name, dir) => {
    expect(cyclesIn(path.join(dir, 'src'))).toEqual([]);
  });
});

describe('the cycle finder', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'runbook-cycles-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function tree(name: string, files: Record<string, string>): string {
    const dir = path.join(scratch, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  test('names the files of a cycle through static, re-exported and lazily imported modules', () => {
    const dir = tree('cycle', {
      'program.ts': "import { HELP } from './commands/sync/command.js';\nexport const x = HELP;\n",
      'commands/sync/command.ts':
        "export { HELP } from '../../help.js';\nexport const run = () => import('../../store.js');\n",
      'help.ts': "export const HELP = '';\n",
      'store.ts': "import { x } from './program.js';\nexport const y = x;\n",
    });
    expect(cyclesIn(dir)).toEqual(['commands/sync/command.ts → store.ts → program.ts → commands/sync/command.ts']);
  });

  test('type-only imports are erased, so they close no cycle', () => {
    const dir = tree('types', {
      'command.ts': "export interface Options { a?: string }\nexport const load = () => import('./run.js');\n",
      'run.ts':
        "import type { Options } from './command.js';\nimport { type Options as O } from './command.js';\nexport type { Options } from './command.js';\nexport const run = (o: Options, p: O) => [o, p];\n",
    });
    expect(cyclesIn(dir)).toEqual([]);
  });
});
