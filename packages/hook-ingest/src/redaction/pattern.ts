import type { Detector, Finding } from './types.js';

export interface PatternSpec {
  label: string;
  /** The expression; a named group `secret` narrows what is removed. */
  regex: RegExp;
  /**
   * Literals every match starts with. The expression is then tried only where one of them occurs
   * (anchored there), never across the whole text.
   */
  hints?: readonly string[];
  /** Extra check on the candidate; false keeps it. */
  accept?: (secret: string) => boolean;
}

function withFlags(regex: RegExp, add: string, remove: string): RegExp {
  let flags = regex.flags.replace(new RegExp(`[${remove}]`, 'g'), '');
  for (const flag of add) if (!flags.includes(flag)) flags += flag;
  return new RegExp(regex.source, flags);
}

/** A detector from one regular expression, compiled once. */
export function patternDetector(spec: PatternSpec): Detector {
  const narrowed = /\(\?<secret>/.test(spec.regex.source);
  const indices = narrowed ? 'd' : '';
  const anchored = (spec.hints?.length ?? 0) > 0;
  // Anchored: sticky at each hint position. Otherwise: one global pass.
  const regex = anchored ? withFlags(spec.regex, `y${indices}`, 'g') : withFlags(spec.regex, `g${indices}`, 'y');
  const { label, accept } = spec;

  function toFinding(match: RegExpExecArray): Finding | undefined {
    let start = match.index;
    let end = start + match[0].length;
    if (narrowed) {
      const span = match.indices?.groups?.secret;
      if (!span) return undefined;
      [start, end] = span;
    }
    if (end <= start) return undefined;
    if (accept && !accept(match.input.slice(start, end))) return undefined;
    return { start, end, label };
  }

  return {
    labels: [label],
    hints: spec.hints ?? [],
    *find(text: string, hits: readonly number[]): Generator<Finding> {
      let match: RegExpExecArray | null;
      if (anchored) {
        let covered = 0;
        for (const at of hits) {
          if (at < covered) continue;
          regex.lastIndex = at;
          match = regex.exec(text);
          if (match === null || match[0].length === 0) continue;
          covered = match.index + match[0].length;
          const finding = toFinding(match);
          if (finding) yield finding;
        }
        return;
      }
      regex.lastIndex = 0;
      while ((match = regex.exec(text)) !== null) {
        if (match[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        const finding = toFinding(match);
        if (finding) yield finding;
      }
    },
  };
}
