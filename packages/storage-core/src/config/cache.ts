import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * A JSON copy of a parsed config, so short-lived processes (the hook) skip the YAML parser. An entry is
 * used only for the very same text (compared whole, not by size and mtime: an edit within the same
 * second and of the same length is still seen) in the very same file (device and inode: a cache file
 * committed next to a config cannot pass for the parse of the clone's file).
 */
export interface ConfigCacheEntry {
  file: string;
  dev: number;
  ino: number;
  text: string;
  document: unknown;
}

export function readConfigCache(cacheFile: string, key: Omit<ConfigCacheEntry, 'document'>): unknown {
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Partial<ConfigCacheEntry>;
    return cached.file === key.file && cached.dev === key.dev && cached.ino === key.ino && cached.text === key.text
      ? cached.document
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeConfigCache(cacheDir: string, cacheFile: string, entry: ConfigCacheEntry): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, cacheFile);
  } catch {
    // a cache is only an optimisation; leave no partial file behind
    try {
      unlinkSync(tmp);
    } catch {
      // nothing written
    }
  }
}
