import type { ObjectStore } from './object-store.js';

/** Every key under `prefix`, in key order, a page at a time. Pages continue after the last key seen. */
export async function* listKeys(
  store: ObjectStore,
  prefix: string,
  signal?: AbortSignal,
  pageSize?: number,
): AsyncGenerator<string[]> {
  let startAfter: string | undefined;
  for (;;) {
    const page = await store.listPage(prefix, {
      ...(startAfter ? { startAfter } : {}),
      ...(signal ? { signal } : {}),
      ...(pageSize ? { maxKeys: pageSize } : {}),
    });
    if (page.keys.length > 0) yield page.keys;
    if (!page.truncated || page.lastKey === undefined) return;
    startAfter = page.lastKey;
  }
}

/** The common prefixes one level below `prefix` (a delimiter listing), in order, following continuation tokens. */
export async function* listPrefixes(
  store: ObjectStore,
  prefix: string,
  signal?: AbortSignal,
  pageSize?: number,
): AsyncGenerator<string> {
  let continuationToken: string | undefined;
  for (;;) {
    const page = await store.listPage(prefix, {
      delimiter: '/',
      ...(continuationToken ? { continuationToken } : {}),
      ...(signal ? { signal } : {}),
      ...(pageSize ? { maxKeys: pageSize } : {}),
    });
    yield* page.prefixes;
    if (!page.truncated || !page.continuationToken) return;
    continuationToken = page.continuationToken;
  }
}
