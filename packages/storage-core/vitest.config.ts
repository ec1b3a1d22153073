import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'storage-core', include: ['test/**/*.test.ts'] } });
