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

/** The text that replaces a value nested deeper than `maxDepth`. */
export function depthMarker(maxDepth: number): string {
  return `${TRUNCATION_MARKER} nested deeper than ${maxDepth} levels`;
}

/** Most JSON paths listed in a record's `truncated`; the rest are summed up in one last entry. */
export const MAX_TRUNCATED_PATHS = 100;
const MAX_PATH_LENGTH = 256;

/** Add paths to a `truncated` list, keeping it short: long paths are cut, and past the cap only counted. */
export function notePaths(list: string[], paths: readonly string[], overflow: { count: number }): void {
  for (const p of paths) {
    const shown = p.length > MAX_PATH_LENGTH ? `${p.slice(0, MAX_PATH_LENGTH)}…` : p;
    if (list.includes(shown)) continue;
    if (list.length < MAX_TRUNCATED_PATHS) list.push(shown);
    else overflow.count++;
  }
}

/** Index just past the string literal opening at `open` (a `"`), or `text.length` when unterminated. */
function endOfString(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close === -1) return text.length;
    let slashes = 0;
    for (let i = close - 1; i > open && text.charCodeAt(i) === 92; i--) slashes++;
    if (slashes % 2 === 0) return close + 1;
    from = close + 1;
  }
}

/**
 * Cut JSON text nested deeper than `maxDepth` before it is parsed: each object or array that would sit
 * deeper is replaced by a marker string. `JSON.parse` of a few megabytes of `[[[[...` takes seconds and
 * gigabytes; this pass is linear, jumps over string contents with `indexOf`, and copies nothing when the
 * text is shallow enough. Depth counts as in {@link capDepth}: the top-level object is level 1.
 * Unbalanced text is left for `JSON.parse` to reject.
 */
export function pruneDeepJson(text: string, maxDepth: number): { text: string; cut: number } {
  let depth = 0;
  let cut = 0;
  let pieces: string[] | undefined;
  let copied = 0;
  const replacement = JSON.stringify(depthMarker(maxDepth));
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = endOfString(text, i);
      continue;
    }
    if (c === 123 || c === 91) {
      if (depth + 1 > maxDepth) {
        // Skip this whole value, brackets and strings alike.
        const start = i;
        let inner = 0;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === 34) {
            i = endOfString(text, i);
            continue;
          }
          if (d === 123 || d === 91) inner++;
          else if (d === 125 || d === 93) {
            inner--;
            if (inner === 0) {
              i++;
              break;
            }
          }
          i++;
        }
        (pieces ??= []).push(text.slice(copied, start), replacement);
        copied = i;
        cut++;
        continue;
      }
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
    }
    i++;
  }
  if (!pieces) return { text, cut: 0 };
  pieces.push(text.slice(copied));
  return { text: pieces.join(''), cut };
}

/** JSON paths of the string values equal to `value` (where {@link pruneDeepJson} left its marker). */
export function pathsOfValue(root: Record<string, Json>, value: string): string[] {
  const found: string[] = [];
  walkJson(root, ({ value: item, path }) => {
    if (item === value) found.push(path);
  });
  return found.reverse();
}

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

type Container = Record<string, Json> | Json[];

interface Entry {
  node: Container;
  key: string | number;
  value: Json;
  path: string;
  /** Level of `node`: the root object is level 1. */
  depth: number;
}

/**
 * Visit every entry below `root`. Iterative, so hostile nesting cannot exhaust the stack. `visit` returns
 * false to keep the walk out of an object value (for instance one it replaced).
 */
function walkJson(root: Container, visit: (entry: Entry) => boolean | void): void {
  const stack: Array<{ node: Container; depth: number; path: string }> = [{ node: root, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const value = (node as Record<string | number, Json>)[key];
      const entry = { node, key, value, path: childPath(path, key), depth };
      if (visit(entry) === false) continue;
      if (value !== null && typeof value === 'object') stack.push({ node: value as Container, depth: depth + 1, path: entry.path });
    }
  }
}

/**
 * Replace values nested deeper than `maxDepth` with a marker, in place. Returns the JSON paths replaced.
 * Iterative, so hostile nesting cannot exhaust the stack.
 */
export function capDepth(root: Record<string, Json>, maxDepth: number): string[] {
  const cut: string[] = [];
  walkJson(root, ({ node, key, value, path, depth }) => {
    if (value === null || typeof value !== 'object' || depth < maxDepth) return true;
    (node as Record<string | number, Json>)[key] = depthMarker(maxDepth);
    cut.push(path);
    return false;
  });
  return cut;
}

/** Top-level fields never shortened: the event's identity. */
const IDENTITY = new Set(['session_id', 'hook_event_name']);

function stringLeaves(root: Record<string, Json>): StringLeaf[] {
  const leaves: StringLeaf[] = [];
  walkJson(root, ({ node, key, value, path }) => {
    if (typeof value !== 'string' || (node === root && IDENTITY.has(key as string))) return;
    // What the string costs serialized: multi-byte characters and escapes count in full.
    leaves.push({ parent: node, key, path, length: Buffer.byteLength(JSON.stringify(value)) - 2 });
  });
  return leaves;
}

/**
 * Shorten the longest strings so the payload fits `maxBytes`: every string is cut to one common serialized
 * size (the largest that fits), keeping the start and a marker saying how much was removed. In place.
 * The event's identity fields are never cut. Returns the JSON paths shortened.
 */
export function fitToSize(root: Record<string, Json>, currentBytes: number, maxBytes: number): string[] {
  if (currentBytes <= maxBytes) return [];
  const leaves = stringLeaves(root).sort((a, b) => b.length - a.length);
  const excess = currentBytes - maxBytes;
  // Water-fill: find the cap L so that cutting every longer string to L bytes (plus a marker) removes `excess`.
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
    // Characters to keep, at this string's own bytes per character.
    const keep = Math.floor((value.length * cap) / leaf.length);
    parent[leaf.key] = `${value.slice(0, keep)}${TRUNCATION_MARKER} ${value.length - keep} of ${value.length} chars removed`;
    cut.push(leaf.path);
  }
  return cut;
}
