import type { Options } from 'tsup';

/** Shared build settings: ESM, type declarations, Node 20. Packages pass their entry points. */
export function libraryConfig(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    ...overrides,
  };
}
