import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect, createRecord, parseBackendConfig, type RunbookConfig } from '@runbook/storage-core';
import filesBackend from '../src/index.js';

function config(section: unknown): RunbookConfig {
  return {
    file: '/p/.runbook/config.yaml',
    document: {},
    sessionStorage: {
      backend: '@runbook/example-storage-files',
      mirrorLocal: false,
      localBaseDir: '.runbook/hooks/claude',
      files: section,
    },
  };
}

describe('the files backend definition', () => {
  test('reads its own section and stores under the project', async () => {
    const projectDir = mkdtempSync(path.join(tmpdir(), 'runbook-files-def-'));
    const parsed = parseBackendConfig(filesBackend, config({ dir: 'store' }));
    const backend = await filesBackend.create(parsed, {
      projectDir,
      localBaseDir: path.join(projectDir, '.runbook/hooks/claude'),
      env: {},
    });
    const record = createRecord({ sessionId: 's-1', eventName: 'Stop', payload: { session_id: 's-1' } });
    await backend.append(record);
    expect(readdirSync(path.join(projectDir, 'store', 's-1'))).toEqual([`${record.eventId}.json`]);
    expect(await collect(backend.read('s-1'))).toEqual([record]);
  });

  test('defaults dir to .runbook/files', () => {
    expect(parseBackendConfig(filesBackend, config(undefined))).toEqual({ dir: '.runbook/files' });
  });

  test('names the key of a bad option in one line', () => {
    expect(() => parseBackendConfig(filesBackend, config({ dir: 3 }))).toThrow(
      /integrations\.claude\.sessionStorage\.files\.dir/,
    );
    expect(() => parseBackendConfig(filesBackend, config({ folder: 'x' }))).toThrow(/files\.folder: is not an option/);
  });
});
