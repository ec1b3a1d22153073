import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      'examples/*',
      // Checks across the whole repository (e.g. no import cycles in any package).
      { test: { name: 'repo', include: ['test/**/*.test.ts'] } },
    ],
  },
});
