import type { DocKind } from './documents.js';
import { clauseRegExp, parseQuery, type QueryClause } from './query.js';
import type { Segment } from './segment.js';
import { makeSnippet, type Snippet } from './snippet.js';

export interface SearchFilters {
  /** Only documents at or after this time (ms since the epoch). */
  since?: number;
  /** Only documents before or at this time. */
  until?: number;
  sessionId?: string;
  /** Hook event name, e.g. `PostToolUseFailure` (case-insensitive). */
  eventName?: string;
  /** Tool name, e.g. `Bash` (case-insensitive). */
  tool?: string;
  kinds?: DocKind[];
}

export interface SearchOptions extends SearchFilters {
  /** Most results returned; default 20. */
  limit?: number;
  /** Most events returned from any one session (the best-ranked ones); default: no cap. */
  perSession?: number;
}

export interface SearchHit {
  kind: DocKind;
  sessionId: string;
  /** Event id, or the file's path relative to the project. */
  ref: string;
  /** ISO-8601. */
  time: string;
  eventName: string;
  tool: string;
  score: number;
  snippet: Snippet;
}

export interface SearchResult {
  hits: SearchHit[];
  /** More documents matched than `limit` returned. */
  more: boolean;
}

const K1 = 1.2;
const B = 0.75;
/** Most terms a prefix stands for. */
const PREFIX_EXPANSION = 256;
/** Most candidates read back to check phrases, in score order. */
const MAX_VERIFY = 5000;

interface Candidate {
  segment: number;
  doc: number;
  score: number;
}

/** For each segment, doc → summed BM25 contribution of one clause; docs missing from the map do not match it. */
type ClauseScores = Array<Map<number, number>>;

function clauseScores(
  segments: readonly Segment[],
  clause: QueryClause,
  totalDocs: number,
  avgLength: number,
): ClauseScores {
  const result: ClauseScores = segments.map(() => new Map());
  clause.words.forEach((word, index) => {
    const isPrefix = clause.prefix && index === clause.words.length - 1;
    const lists = segments.map((segment) =>
      isPrefix
        ? segment.termsWithPrefix(word, PREFIX_EXPANSION).map((t) => segment.postings(t))
        : [segment.postings(word)],
    );
    let df = 0;
    for (const perSegment of lists) for (const list of perSegment) df += list.length / 2;
    const idf = Math.log(1 + (totalDocs - df + 0.5) / (df + 0.5));
    lists.forEach((perSegment, s) => {
      const seen = new Map<number, number>();
      const segment = segments[s]!;
      for (const list of perSegment) {
        for (let i = 0; i < list.length; i += 2) {
          const doc = list[i]!;
          const tf = list[i + 1]!;
          const length = segment.docLength(doc);
          const part = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avgLength));
          seen.set(doc, (seen.get(doc) ?? 0) + part);
        }
      }
      // A document must hold every word of the clause.
      const scores = result[s]!;
      if (index === 0) for (const [doc, part] of seen) scores.set(doc, part);
      else
        for (const [doc, score] of scores) {
          const part = seen.get(doc);
          if (part === undefined) scores.delete(doc);
          else scores.set(doc, score + part);
        }
    });
  });
  return result;
}

function passes(segment: Segment, doc: number, filters: SearchFilters): boolean {
  if (filters.since !== undefined || filters.until !== undefined) {
    const time = segment.time(doc);
    if (filters.since !== undefined && time < filters.since) return false;
    if (filters.until !== undefined && time > filters.until) return false;
  }
  if (filters.sessionId !== undefined && segment.sessionId(doc) !== filters.sessionId) return false;
  if (filters.eventName !== undefined || filters.tool !== undefined || filters.kinds !== undefined) {
    const meta = segment.meta(doc);
    if (filters.eventName !== undefined && meta.eventName.toLowerCase() !== filters.eventName.toLowerCase())
      return false;
    if (filters.tool !== undefined && meta.tool.toLowerCase() !== filters.tool.toLowerCase()) return false;
    if (filters.kinds !== undefined && !filters.kinds.includes(meta.kind)) return false;
  }
  return true;
}

/**
 * Ranked search over segments: every clause must match (phrases as consecutive words), scored with BM25
 * over all segments' statistics; ties go to the newer document.
 */
export function searchSegments(segments: readonly Segment[], query: string, options: SearchOptions = {}): SearchResult {
  const clauses = parseQuery(query);
  if (clauses.length === 0) return { hits: [], more: false };
  const limit = options.limit ?? 20;
  let totalDocs = 0;
  let totalTokens = 0;
  for (const segment of segments) {
    totalDocs += segment.docCount;
    totalTokens += segment.tokenTotal;
  }
  const avgLength = totalDocs > 0 ? totalTokens / totalDocs : 1;

  let combined: ClauseScores | undefined;
  for (const clause of clauses) {
    const scores = clauseScores(segments, clause, totalDocs, avgLength);
    if (!combined) combined = scores;
    else
      combined = combined.map((current, s) => {
        const next = new Map<number, number>();
        const other = scores[s]!;
        for (const [doc, score] of current) {
          const part = other.get(doc);
          if (part !== undefined) next.set(doc, score + part);
        }
        return next;
      });
  }
  const candidates: Candidate[] = [];
  combined!.forEach((scores, s) => {
    const segment = segments[s]!;
    for (const [doc, score] of scores) if (passes(segment, doc, options)) candidates.push({ segment: s, doc, score });
  });
  candidates.sort((a, b) => b.score - a.score || segments[b.segment]!.time(b.doc) - segments[a.segment]!.time(a.doc));

  const checks = clauses.filter((c) => c.words.length > 1).map((c) => clauseRegExp(c));
  const hits: SearchHit[] = [];
  const perSession = new Map<string, number>();
  let checked = 0;
  for (const candidate of candidates) {
    const segment = segments[candidate.segment]!;
    if (options.perSession !== undefined && segment.meta(candidate.doc).kind === 'event') {
      const session = segment.sessionId(candidate.doc);
      if ((perSession.get(session) ?? 0) >= options.perSession) continue;
    }
    let text: string | undefined;
    if (checks.length > 0) {
      if (checked++ >= MAX_VERIFY) break;
      text = segment.text(candidate.doc);
      if (!checks.every((check) => check.test(text!))) continue;
    }
    if (hits.length >= limit) return { hits, more: true };
    text ??= segment.text(candidate.doc);
    const meta = segment.meta(candidate.doc);
    if (meta.kind === 'event') perSession.set(meta.sessionId, (perSession.get(meta.sessionId) ?? 0) + 1);
    hits.push({
      kind: meta.kind,
      sessionId: meta.sessionId,
      ref: meta.ref,
      time: new Date(meta.time).toISOString(),
      eventName: meta.eventName,
      tool: meta.tool,
      score: Math.round(candidate.score * 1000) / 1000,
      snippet: makeSnippet(text, clauses),
    });
  }
  return { hits, more: false };
}
