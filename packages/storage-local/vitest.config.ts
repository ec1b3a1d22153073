import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'storage-local', include: ['test/**/*.test.ts'] } });
