import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.base.js';

export default defineConfig(
  libraryConfig({ index: 'src/index.ts', schema: 'src/schema.ts', testing: 'src/testing/index.ts' }),
);
