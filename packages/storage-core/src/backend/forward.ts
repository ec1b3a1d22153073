import type { SessionBackend } from './contract.js';

/** The optional capabilities a wrapping store passes straight through to its primary. */
export type ForwardedCapabilities = Pick<SessionBackend, 'list' | 'listDetails' | 'compact'>;

/**
 * Listing and compaction of `primary`, for a store that wraps it (a composite, an outbox): each method is
 * present only when the primary has it, so spreading the result declares exactly what the primary does.
 * Deleting is left to the wrapper: what else it must delete is its own policy.
 */
export function forwardListAndCompact(primary: SessionBackend): ForwardedCapabilities {
  const forwarded: { -readonly [K in keyof ForwardedCapabilities]: ForwardedCapabilities[K] } = {};
  if (primary.list) {
    const list = primary.list.bind(primary);
    forwarded.list = (options) => list(options);
    if (primary.listDetails === true) forwarded.listDetails = true;
  }
  if (primary.compact) {
    const compact = primary.compact.bind(primary);
    forwarded.compact = (sessionId, options) => compact(sessionId, options);
  }
  return forwarded;
}
