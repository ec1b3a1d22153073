import type { SessionBackend } from './contract.js';

/**
 * Give a store that wraps `primary` (a composite, an outbox) the primary's listing and compaction, exactly
 * as the primary declares them. Deleting is left to the wrapper: what else it must delete is its own policy.
 */
export function forwardListAndCompact(store: SessionBackend, primary: SessionBackend): void {
  if (primary.capabilities.list && primary.list) {
    const list = primary.list.bind(primary);
    store.list = (options) => list(options);
  }
  if (primary.capabilities.compact && primary.compact) {
    const compact = primary.compact.bind(primary);
    store.compact = (sessionId, options) => compact(sessionId, options);
  }
}
