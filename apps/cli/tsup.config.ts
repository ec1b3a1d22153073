import path from 'node:path';
import { defineConfig, type Options } from 'tsup';

const workspacePackages = [
  'storage-core',
  'storage-local',
  'storage-s3',
  'hook-ingest',
  'learning-bridge',
  'session-index',
];

// Workspace packages are bundled from source, so their `sideEffects: false` lets unused modules drop out.
const alias = Object.fromEntries(
  workspacePackages.map((name) => [`@runbook/${name}`, path.resolve(`../../packages/${name}/src`)]),
);

/**
 * Imports rewritten to another file of dist/, kept as a real `import()` at run time. The hook is one file
 * (each extra ES module file costs it start-up time); what it needs only sometimes — the S3 backend (with
 * `upload: inline`), the YAML parser, the record schema — it loads from these stable entry points of the main build.
 * Keys are package names or source files (relative to this folder); values are the dist/ file to load instead.
 */
function linkTo(targets: Record<string, string>): NonNullable<Options['esbuildPlugins']>[number] {
  const packages = new Map<string, string>();
  const files = new Map<string, string>();
  for (const [from, to] of Object.entries(targets))
    (from.startsWith('.') ? files : packages).set(from.startsWith('.') ? path.resolve(from) : from, to);
  return {
    name: 'link-to-dist-entry',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        const byPackage = packages.get(args.path);
        if (byPackage) return { path: byPackage, external: true };
        if (args.kind === 'entry-point' || !args.path.startsWith('.')) return undefined;
        const byFile = files.get(path.resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
        return byFile ? { path: byFile, external: true } : undefined;
      });
    },
  };
}

const shared: Options = {
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  minify: true,
  sourcemap: false,
  dts: false,
  noExternal: [/.*/],
  esbuildOptions(options) {
    options.alias = alias;
  },
  banner: {
    js: "import { createRequire as __runbookCreateRequire } from 'node:module'; const require = __runbookCreateRequire(import.meta.url);",
  },
};

// One self-contained program with every dependency inside, so the packed tarball installs with
// `npm i -g` alone: a CommonJS entry point and hook, each one file, and ES module chunks for the rest.
export default defineConfig([
  {
    ...shared,
    entry: {
      program: 'src/program.ts',
      'backend-s3': '../../packages/storage-s3/src/index.ts',
      yaml: 'src/lazy/yaml.ts',
      'record-schema': '../../packages/storage-core/src/record/schema.ts',
    },
    splitting: true,
    clean: false,
    // DuckDB is an optional dependency with a native binary: loaded at run time by `query` alone, never bundled.
    external: ['@duckdb/node-api'],
    esbuildPlugins: [linkTo({ './src/commands/hook/run.ts': './hook.cjs' })],
  },
  {
    // The entry point and the hook are CommonJS, unlike the rest: starting the ES module loader costs every
    // hook process time, and an ES module importing node:fs makes Node load fs/promises, readline and the
    // streams with it (its ESM facade reads every export); `require('node:fs')` loads none of them.
    ...shared,
    entry: { runbook: 'src/main.ts', hook: 'src/commands/hook/run.ts' },
    format: ['cjs'],
    splitting: false,
    clean: false,
    outExtension: () => ({ js: '.cjs' }),
    banner: { js: "const __runbookImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    esbuildOptions(options) {
      options.alias = alias;
      options.define = { 'import.meta.url': '__runbookImportMetaUrl' };
      // The lazily loaded parts are ES modules: keep `import()` rather than turning it into `require()`.
      options.supported = { 'dynamic-import': true };
    },
    esbuildPlugins: [
      linkTo({
        '@runbook/storage-s3': './backend-s3.js',
        yaml: './yaml.js',
        '../../packages/storage-core/src/record/schema.ts': './record-schema.js',
        './src/program.ts': './program.js',
      }),
    ],
  },
]);
