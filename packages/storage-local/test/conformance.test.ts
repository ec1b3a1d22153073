import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import { storageTestSuite } from '@runbook/storage-core/testing';
import { createLocalBackend } from '../src/index.js';

storageTestSuite(test, () => createLocalBackend({ baseDir: mkdtempSync(path.join(tmpdir(), 'runbook-local-')) }), {
  name: 'local',
});
