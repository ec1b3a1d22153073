import { tokenize } from './tokenize.js';

/**
 * One required part of a query: its words in order. `phrase` parts must appear as consecutive words;
 * `prefix` means the last word may be the start of a longer one.
 */
export interface QueryClause {
  words: string[];
  phrase: boolean;
  prefix: boolean;
}

const PART = /"([^"]*)"?|(\S+)/g;

/**
 * Parse what a person typed. Every part must match (AND). `"connection refused"` is a phrase; `deploy*` a
 * prefix; a part whose words are joined by punctuation (`billing-stripe`, `values-staging.yaml`,
 * `10.0.0.12:5432`) matches as typed, i.e. as a phrase of its words.
 */
export function parseQuery(input: string): QueryClause[] {
  const clauses: QueryClause[] = [];
  for (const match of input.matchAll(PART)) {
    const quoted = match[1];
    const raw = quoted ?? match[2] ?? '';
    const prefix = /\*$/.test(raw.trim());
    const words = tokenize(raw);
    if (words.length === 0) continue;
    clauses.push({ words, phrase: words.length > 1, prefix });
  }
  return clauses;
}

const escapeWord = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const W = '\\p{L}\\p{N}_';

/** A regular expression finding a clause in raw text: its words in order, separated by anything but word characters. */
export function clauseRegExp(clause: QueryClause, flags = 'iu'): RegExp {
  const body = clause.words.map(escapeWord).join(`[^${W}]+`);
  return new RegExp(`(?<![${W}])${body}${clause.prefix ? '' : `(?![${W}])`}`, flags);
}

/** A regular expression finding any word of any clause (for highlighting). */
export function anyWordRegExp(clauses: readonly QueryClause[]): RegExp {
  const parts: string[] = [];
  for (const clause of clauses) {
    for (const [i, word] of clause.words.entries())
      parts.push(`${escapeWord(word)}${clause.prefix && i === clause.words.length - 1 ? `[${W}]*` : ''}`);
  }
  return new RegExp(`(?<![${W}])(?:${parts.join('|')})(?![${W}])`, 'giu');
}
