import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '@runbook/storage-core';

const CONFIG_FILE = path.join('.runbook', 'config.yaml');

const KEY = ['integrations', 'claude', 'recall', 'enabled'];

/**
 * Set `integrations.claude.recall.enabled: true` in the project's `.runbook/config.yaml`, keeping every
 * other setting and comment (the file is created when missing). Returns whether the file changed.
 */
export async function enableRecall(projectDir: string): Promise<{ file: string; changed: boolean }> {
  const { default: yaml } = await import('yaml');
  const file = path.join(projectDir, CONFIG_FILE);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const doc = yaml.parseDocument(text);
  if (doc.errors.length > 0)
    throw new RunbookError(
      'CONFIG_INVALID',
      `${file}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); recall not enabled`,
    );
  if (doc.getIn(KEY) === true) return { file, changed: false };
  doc.setIn(KEY, true);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, doc.toString());
  renameSync(tmp, file);
  return { file, changed: true };
}
