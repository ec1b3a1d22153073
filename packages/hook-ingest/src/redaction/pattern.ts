import type { Detector, Finding } from './types.js';

export interface PatternSpec {
  label: string;
  /** Global expression; a named group `secret` narrows what is removed. */
  regex: RegExp;
  hints?: readonly string[];
  /** Extra check on the candidate; false keeps it. */
  accept?: (secret: string) => boolean;
}

/** A detector from one regular expression, compiled once. */
export function patternDetector(spec: PatternSpec): Detector {
  const narrowed = /\(\?<secret>/.test(spec.regex.source);
  let flags = spec.regex.flags;
  if (!flags.includes('g')) flags += 'g';
  if (narrowed && !flags.includes('d')) flags += 'd';
  const regex = new RegExp(spec.regex.source, flags);
  const { label, accept } = spec;
  return {
    labels: [label],
    hints: spec.hints ?? [],
    *find(text: string): Generator<Finding> {
      // Hint positions are not needed: one pass of the expression over a text that has a hint.
      regex.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(text)) !== null) {
        if (match[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        let start = match.index;
        let end = start + match[0].length;
        const span = narrowed ? match.indices?.groups?.secret : undefined;
        if (narrowed) {
          if (!span) continue;
          [start, end] = span;
        }
        if (end <= start) continue;
        if (accept && !accept(text.slice(start, end))) continue;
        yield { start, end, label };
      }
    },
  };
}
