import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import { storageTestSuite } from '@runbook/storage-core/testing';
import { createFilesBackend } from '../src/index.js';

storageTestSuite(test, () => createFilesBackend({ dir: mkdtempSync(path.join(tmpdir(), 'runbook-files-')) }), {
  name: 'files',
});
