import type { DocKind } from './documents.js';

/** Columns of one document, as a segment keeps them. */
export interface DocMeta {
  kind: DocKind;
  sessionId: string;
  ref: string;
  time: number;
  eventName: string;
  tool: string;
  /** Words in the document (for length normalisation). */
  length: number;
}

/** A read-only slice of the index: documents numbered from 0, postings as (doc, term frequency) pairs. */
export interface Segment {
  readonly docCount: number;
  /** Sum of all documents' lengths. */
  readonly tokenTotal: number;
  meta(doc: number): DocMeta;
  /** Quick column reads used while filtering, without building a {@link DocMeta}. */
  time(doc: number): number;
  sessionId(doc: number): string;
  docLength(doc: number): number;
  /** `[doc0, tf0, doc1, tf1, ...]`, docs ascending; empty when the term is absent. */
  postings(term: string): Uint32Array;
  /** Terms starting with `prefix`, at most `limit` of them, in order. */
  termsWithPrefix(prefix: string, limit: number): string[];
  text(doc: number): string;
  close(): void;
}

/** First index in a sorted array whose value is ≥ `key`. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function prefixRange(sorted: readonly string[], prefix: string, limit: number): string[] {
  const out: string[] = [];
  for (
    let i = lowerBound(sorted, prefix);
    i < sorted.length && out.length < limit && sorted[i]!.startsWith(prefix);
    i++
  )
    out.push(sorted[i]!);
  return out;
}
