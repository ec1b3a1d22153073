import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileSafeText } from './file-text.js';

/** What `learn` writes quotes session data: readable by the owner only, whatever the umask, like the sessions. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Write a file via a temporary sibling and rename, creating folders (0700); skip the write when the content
 * is already there. Control characters are escaped ({@link fileSafeText}). A new file is 0600; a file that
 * exists keeps its mode (a runbook the team shares), never group- or world-writable. A failed write
 * (a full disk) leaves no temporary file behind.
 */
export async function writeFileAtomic(file: string, content: string): Promise<'written' | 'unchanged'> {
  const safe = fileSafeText(content);
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === safe) return 'unchanged';
  await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const existing = await stat(file).catch(() => undefined);
  const mode = existing ? existing.mode & 0o775 : FILE_MODE;
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeFile(tmp, safe, { encoding: 'utf8', mode, flag: 'wx' });
    // The mode given at creation is reduced by the umask only; chmod makes it exact.
    await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  return 'written';
}
