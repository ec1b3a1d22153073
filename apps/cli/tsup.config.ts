import path from 'node:path';
import { defineConfig, type Options } from 'tsup';

const workspacePackages = ['storage-core', 'storage-local', 'storage-s3', 'hook-ingest', 'learning-bridge'];

// Workspace packages are bundled from source, so their `sideEffects: false` lets unused modules drop out.
const alias = Object.fromEntries(workspacePackages.map((name) => [`@runbook/${name}`, path.resolve(`../../packages/${name}/src`)]));

/**
 * Imports rewritten to another file of dist/, kept as a real `import()` at run time. The hook is one file
 * (each extra ES module file costs it start-up time); what it needs only sometimes — the S3 backend, the
 * YAML parser, the background drainer, the record schema — it loads from these stable entry points of the main build.
 */
function linkTo(targets: Record<string, string>): NonNullable<Options['esbuildPlugins']>[number] {
  return {
    name: 'link-to-dist-entry',
    setup(build) {
      for (const [specifier, file] of Object.entries(targets)) {
        const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
        build.onResolve({ filter }, () => ({ path: file, external: true }));
      }
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
      sync: 'src/commands/sync.ts',
      'record-schema': '../../packages/storage-core/src/record-schema.ts',
    },
    splitting: true,
    clean: false,
    esbuildPlugins: [linkTo({ './commands/hook.js': './hook.cjs', './hook.js': './hook.cjs' })],
  },
  {
    // The entry point and the hook are CommonJS, unlike the rest: starting the ES module loader costs every
    // hook process time, and an ES module importing node:fs makes Node load fs/promises, readline and the
    // streams with it (its ESM facade reads every export); `require('node:fs')` loads none of them.
    ...shared,
    entry: { runbook: 'src/main.ts', hook: 'src/commands/hook.ts' },
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
        './commands/sync.js': './sync.js',
        './record-schema.js': './record-schema.js',
        './program.js': './program.js',
      }),
    ],
  },
]);
