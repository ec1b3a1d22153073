import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'learning-bridge', include: ['test/**/*.test.ts'] } });
