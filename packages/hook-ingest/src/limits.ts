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

/** Bytes a string keeps at least when shortened to fit: about the length of the marker that replaces its end. */
const SHORTEST_CUT = 64;

/** Index just past the string literal opening at `open` (a `"`), or `text.length` when unterminated. */
export function endOfString(text: string, open: number): number {
  // Most strings in a payload are short: look at a few characters before handing over to `indexOf`.
  const quick = Math.min(text.length, open + 24);
  for (let i = open + 1; i < quick; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      i++;
    }
  }
  let from = quick;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close === -1) return text.length;
    let slashes = 0;
    for (let i = close - 1; i > open && text.charCodeAt(i) === 92; i--) slashes++;
    if (slashes % 2 === 0) return close + 1;
    from = close + 1;
  }
}

/** Where one top-level field of an object's JSON text is: its key (quotes included) and its value. */
export interface FieldSpan {
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Cut JSON text nested deeper than `maxDepth` before it is parsed, measure `leastBytes` (about the smallest
 * its payload can be made by shortening strings: everything outside string contents, whitespace aside, plus
 * a marker's worth of each string), and note where the top-level fields are (`fields`, when nothing was
 * cut and the text is an object). Each object or array that would sit
 * deeper is replaced by a marker string. `JSON.parse` of a few megabytes of `[[[[...` takes seconds and
 * gigabytes; this pass is linear, jumps over string contents with `indexOf`, and copies nothing when the
 * text is shallow enough. Depth counts as in {@link capDepth}: the top-level object is level 1.
 * Unbalanced text is left for `JSON.parse` to reject.
 */
export function pruneDeepJson(
  text: string,
  maxDepth: number,
): { text: string; cut: number; leastBytes: number; fields: FieldSpan[] } {
  const fields: FieldSpan[] = [];
  let keyStart = -1;
  let keyEnd = -1;
  let valueStart = -1;
  let depth = 0;
  let cut = 0;
  let structure = 0;
  let pieces: string[] | undefined;
  let copied = 0;
  const replacement = JSON.stringify(depthMarker(maxDepth));
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const open = i;
      i = endOfString(text, i);
      // A string shortened to fit keeps at least its quotes and a marker's worth.
      structure += 2 + Math.min(i - open - 2, SHORTEST_CUT);
      if (depth === 1 && valueStart === -1) {
        keyStart = open;
        keyEnd = i;
      }
      continue;
    }
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) structure++;
    if (depth === 1) {
      if (c === 58 && valueStart === -1) valueStart = i + 1;
      else if ((c === 44 || c === 125) && valueStart !== -1 && keyStart !== -1) {
        fields.push({ keyStart, keyEnd, valueStart, valueEnd: i });
        keyStart = -1;
        valueStart = -1;
      }
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
        structure += replacement.length - 1;
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
  if (!pieces) return { text, cut: 0, leastBytes: structure, fields };
  pieces.push(text.slice(copied));
  // Field positions are those of the text as it came: after a cut, whoever needs them scans again.
  return { text: pieces.join(''), cut, leastBytes: structure, fields: [] };
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
function walkJson(root: Container, visit: (entry: Entry) => unknown): void {
  const stack: Array<{ node: Container; depth: number; path: string }> = [{ node: root, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const value = (node as Record<string | number, Json>)[key];
      const entry = { node, key, value, path: childPath(path, key), depth };
      if (visit(entry) === false) continue;
      if (value !== null && typeof value === 'object')
        stack.push({ node: value as Container, depth: depth + 1, path: entry.path });
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

/** Characters that make a string's serialized size differ from its length: escapes and non-ASCII. */
const NOT_PLAIN = /["\\\u0000-\u001f\u007f-\uffff]/;

/** What a string costs serialized (quotes aside): multi-byte characters and escapes count in full. */
function serializedLength(value: string): number {
  if (!NOT_PLAIN.test(value)) return value.length;
  // UTF-8 bytes, plus what escaping adds: one byte for `"`, `\\` and the short escapes, five for `\u00XX`.
  let extra = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34 || c === 92 || c === 10 || c === 13 || c === 9 || c === 8 || c === 12) extra += 1;
    else if (c < 32) extra += 5;
  }
  return Buffer.byteLength(value) + extra;
}

function stringLeaves(root: Record<string, Json>): StringLeaf[] {
  const leaves: StringLeaf[] = [];
  walkJson(root, ({ node, key, value, path }) => {
    if (typeof value !== 'string' || (node === root && IDENTITY.has(key as string))) return;
    leaves.push({ parent: node, key, path, length: serializedLength(value) });
  });
  return leaves;
}

/**
 * The common serialized size every longer string is cut to (a marker's worth added back) so that `excess`
 * bytes go; undefined when even cutting every string to its marker is not enough. Sorts `leaves`, longest first.
 */
function waterFill(leaves: StringLeaf[], excess: number): number | undefined {
  // Cutting every string to its marker is the most shortening can do.
  let most = 0;
  for (const leaf of leaves) if (leaf.length > SHORTEST_CUT) most += leaf.length - SHORTEST_CUT;
  if (most < excess) return undefined;
  leaves.sort((a, b) => b.length - a.length);
  let removed = 0;
  for (let i = 0; i < leaves.length; i++) {
    const next = leaves[i + 1]?.length ?? 0;
    const count = i + 1;
    const gain = (leaves[i]!.length - next) * count;
    if (removed + gain - count * SHORTEST_CUT >= excess) {
      const needed = excess - removed + count * SHORTEST_CUT;
      return Math.max(0, leaves[i]!.length - Math.ceil(needed / count));
    }
    removed += gain;
  }
  return 0;
}

/** The marker a string cut earlier ends with: a second cut counts from the original length. */
const EARLIER_CUT = /\[TRUNCATED\] (\d+) of (\d+) chars removed$/;

/** `value` cut to `keep` characters, with a marker saying how many of how many were removed. */
function cutString(value: string, keep: number): string {
  const earlier = EARLIER_CUT.exec(value.slice(-64));
  const total = earlier ? Number(earlier[2]) : value.length;
  return `${value.slice(0, keep)}${TRUNCATION_MARKER} ${total - keep} of ${total} chars removed`;
}

/** Cut the leaves longer than `cap` serialized bytes to it, plus `slack`. Returns their paths. */
function cutLeaves(leaves: readonly StringLeaf[], cap: number, slack: number): string[] {
  const cut: string[] = [];
  for (const leaf of leaves) {
    if (leaf.length <= cap + slack) break;
    if (leaf.length <= SHORTEST_CUT) continue;
    const parent = leaf.parent as Record<string | number, Json>;
    const value = parent[leaf.key] as string;
    // Characters to keep, at this string's own bytes per character.
    const keep = Math.floor((value.length * (cap + slack)) / leaf.length);
    parent[leaf.key] = cutString(value, keep);
    cut.push(leaf.path);
  }
  return cut;
}

/**
 * Shorten the longest strings so the payload fits `maxBytes`: every string is cut to one common serialized
 * size (the largest that fits), keeping the start and a marker saying how much was removed. In place.
 * The event's identity fields are never cut, and no string is cut when even cutting all of them could not
 * make the payload fit. Returns the JSON paths shortened.
 */
export function fitToSize(root: Record<string, Json>, currentBytes: number, maxBytes: number): string[] {
  if (currentBytes <= maxBytes) return [];
  const leaves = stringLeaves(root);
  const cap = waterFill(leaves, currentBytes - maxBytes);
  return cap === undefined ? [] : cutLeaves(leaves, cap, 0);
}

/** What a string cut before redaction keeps beyond the size it is bound to be cut to after it. */
export const PRECUT_SLACK = 64 * 1024;

/**
 * Before redaction: cut strings that {@link fitToSize} would certainly cut afterwards, leaving
 * {@link PRECUT_SLACK} characters beyond its cut, so redaction reads at most about `maxBytes` plus the
 * slack per long string rather than the whole input. A secret cut in two by this lies in the slack, which
 * the cut after redaction removes. In place; returns the JSON paths shortened.
 */
export function precutToSize(root: Record<string, Json>, currentBytes: number, maxBytes: number): string[] {
  if (currentBytes <= maxBytes + PRECUT_SLACK) return [];
  const leaves = stringLeaves(root);
  const cap = waterFill(leaves, currentBytes - maxBytes);
  return cap === undefined ? [] : cutLeaves(leaves, cap, PRECUT_SLACK);
}
