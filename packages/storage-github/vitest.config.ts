import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'storage-github', include: ['test/**/*.test.ts'] } });
