import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Write a file via a temporary sibling and rename, creating folders; skip the write when the content is already there. */
export async function writeFileAtomic(file: string, content: string): Promise<'written' | 'unchanged'> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === content) return 'unchanged';
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await writeFile(tmp, content, 'utf8');
  await rename(tmp, file);
  return 'written';
}
