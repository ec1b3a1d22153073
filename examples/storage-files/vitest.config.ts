import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'example-storage-files', include: ['test/**/*.test.ts'] } });
