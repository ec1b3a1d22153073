import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'hook-ingest', include: ['test/**/*.test.ts'] } });
