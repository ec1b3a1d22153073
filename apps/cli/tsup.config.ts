import { defineConfig } from 'tsup';

// One self-contained ESM bundle (plus lazily loaded chunks) with every dependency inside,
// so the packed tarball installs with `npm i -g` and nothing else.
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
  shims: false,
  banner: {
    js: "import { createRequire as __runbookCreateRequire } from 'node:module'; const require = __runbookCreateRequire(import.meta.url);",
  },
});
