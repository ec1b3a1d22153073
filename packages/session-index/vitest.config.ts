import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'session-index', include: ['test/**/*.test.ts'] } });
