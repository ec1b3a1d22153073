import path from 'node:path';
import { defineConfig } from 'tsup';

const workspacePackages = ['storage-core', 'storage-local', 'storage-s3', 'hook-ingest', 'learning-bridge'];

// One self-contained ESM entry (plus lazily loaded chunks) with every dependency inside, so the packed
// tarball installs with `npm i -g` alone. Workspace packages are bundled from source, so their
// `sideEffects: false` lets unused modules (schemas the hook never needs) drop out of the hook's path.
export default defineConfig({
  entry: { runbook: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  minify: true,
  sourcemap: false,
  clean: true,
  dts: false,
  noExternal: [/.*/],
  esbuildOptions(options) {
    options.alias = Object.fromEntries(
      workspacePackages.map((name) => [`@runbook/${name}`, path.resolve(`../../packages/${name}/src`)]),
    );
  },
  banner: {
    js: "import { createRequire as __runbookCreateRequire } from 'node:module'; const require = __runbookCreateRequire(import.meta.url);",
  },
});
