import { copyFileSync, mkdirSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Outbox } from './outbox.js';

/**
 * Move every entry of `from` into `to` (e.g. events the hook kept in the default outbox while the
 * config could not be read, into the configured one). Entries keep their names, so an entry already
 * in `to` is replaced by the same event. Returns how many moved.
 */
export async function moveOutboxEntries(from: Outbox, to: Outbox): Promise<number> {
  if (path.resolve(from.dir) === path.resolve(to.dir)) return 0;
  const names = await from.names();
  if (names.length > 0) mkdirSync(to.dir, { recursive: true, mode: 0o700 });
  let moved = 0;
  for (const name of names) {
    const source = path.join(from.dir, name);
    const target = path.join(to.dir, name);
    try {
      renameSync(source, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // sent or moved by another process meanwhile
      if (code !== 'EXDEV') throw error;
      const temp = path.join(to.dir, `.tmp-move-${process.pid}-${name}`);
      copyFileSync(source, temp);
      renameSync(temp, target);
      unlinkSync(source);
    }
    moved += 1;
  }
  return moved;
}
