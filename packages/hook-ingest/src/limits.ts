/** Bounds every hook event is held to before it is stored. */
export interface IngestLimits {
  /** Largest stdin accepted at all; above it only a marker record is kept (default 32 MiB). */
  maxInputBytes: number;
  /** Largest payload stored; above it the longest strings are shortened and marked (default 4 MiB). */
  maxEventBytes: number;
  /** Deepest nesting kept; deeper values are replaced by a marker (default 64). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxInputBytes: 32 * 1024 * 1024,
  maxEventBytes: 4 * 1024 * 1024,
  maxDepth: 64,
};

export const TRUNCATION_MARKER = '[TRUNCATED]';

type Json = unknown;

interface StringLeaf {
  parent: Record<string, Json> | Json[];
  key: string | number;
  path: string;
  length: number;
}

function childPath(base: string, key: string | number): string {
  return typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key;
}

/**
 * Replace values nested deeper than `maxDepth` with a marker, in place. Returns the JSON paths replaced.
 * Iterative, so hostile nesting cannot exhaust the stack.
 */
export function capDepth(root: Record<string, Json>, maxDepth: number): string[] {
  const cut: string[] = [];
  const stack: Array<{ node: Record<string, Json> | Json[]; depth: number; path: string }> = [{ node: root, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const value = (node as Record<string | number, Json>)[key];
      if (value === null || typeof value !== 'object') continue;
      const p = childPath(path, key);
      if (depth >= maxDepth) {
        (node as Record<string | number, Json>)[key] = `${TRUNCATION_MARKER} nested deeper than ${maxDepth} levels`;
        cut.push(p);
      } else {
        stack.push({ node: value as Record<string, Json> | Json[], depth: depth + 1, path: p });
      }
    }
  }
  return cut;
}

function stringLeaves(root: Record<string, Json>): StringLeaf[] {
  const leaves: StringLeaf[] = [];
  const stack: Array<{ node: Record<string, Json> | Json[]; path: string }> = [{ node: root, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const value = (node as Record<string | number, Json>)[key];
      const p = childPath(path, key);
      if (typeof value === 'string') leaves.push({ parent: node, key, path: p, length: value.length });
      else if (value !== null && typeof value === 'object') stack.push({ node: value as Record<string, Json> | Json[], path: p });
    }
  }
  return leaves;
}

/**
 * Shorten the longest strings so the payload fits `maxBytes`: every string is cut to one common length
 * (the largest that fits), keeping the start and a marker saying how much was removed. In place.
 * Returns the JSON paths shortened.
 */
export function fitToSize(root: Record<string, Json>, currentBytes: number, maxBytes: number): string[] {
  if (currentBytes <= maxBytes) return [];
  const leaves = stringLeaves(root).sort((a, b) => b.length - a.length);
  const excess = currentBytes - maxBytes;
  // Water-fill: find the cap L so that cutting every longer string to L (plus a marker) removes `excess`.
  const markerAllowance = 64;
  let removed = 0;
  let cap = 0;
  for (let i = 0; i < leaves.length; i++) {
    const next = leaves[i + 1]?.length ?? 0;
    const count = i + 1;
    const gain = (leaves[i]!.length - next) * count;
    if (removed + gain - count * markerAllowance >= excess) {
      const needed = excess - removed + count * markerAllowance;
      cap = Math.max(0, leaves[i]!.length - Math.ceil(needed / count));
      break;
    }
    removed += gain;
  }
  const cut: string[] = [];
  for (const leaf of leaves) {
    if (leaf.length <= cap) break;
    const parent = leaf.parent as Record<string | number, Json>;
    const value = parent[leaf.key] as string;
    parent[leaf.key] = `${value.slice(0, cap)}${TRUNCATION_MARKER} ${value.length - cap} of ${value.length} chars removed`;
    cut.push(leaf.path);
  }
  return cut;
}
