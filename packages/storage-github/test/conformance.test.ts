import { storageTestSuite } from '@runbook/storage-core/testing';
import { test } from 'vitest';
import { useGitServer } from './helpers/backend.js';

const git = useGitServer();

// Each test gets its own repository and cache, as a new machine on an empty repository would.
storageTestSuite(test, () => git.backend(git.newRepo()), { name: 'github', timeout: 120_000 });
