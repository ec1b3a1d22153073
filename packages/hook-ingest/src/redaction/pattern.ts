import type { Tick } from './deadline.js';
import type { Detector, Finding } from './types.js';

export interface PatternSpec {
  label: string;
  /**
   * The expression; a named group `secret` narrows what is removed. A function is called once, on the
   * first text that has one of the hints: most hook events never pay for building most expressions.
   */
  regex: RegExp | (() => RegExp);
  /**
   * Literals every match starts with. The expression is then tried only where one of them occurs
   * (anchored there), never across the whole text.
   */
  hints?: readonly string[];
  /** Extra check on the candidate; false keeps it. */
  accept?: (secret: string) => boolean;
}

function withFlags(regex: RegExp, add: string, remove: string): RegExp {
  let flags = '';
  for (const flag of regex.flags) if (!remove.includes(flag)) flags += flag;
  for (const flag of add) if (!flags.includes(flag)) flags += flag;
  return new RegExp(regex.source, flags);
}

/** A detector from one regular expression, compiled once. */
export function patternDetector(spec: PatternSpec): Detector {
  const anchored = (spec.hints?.length ?? 0) > 0;
  const { label, accept } = spec;
  let regex: RegExp | undefined;
  let narrowed = false;

  function compile(): RegExp {
    const source = typeof spec.regex === 'function' ? spec.regex() : spec.regex;
    narrowed = source.source.includes('(?<secret>');
    const indices = narrowed ? 'd' : '';
    // Anchored: sticky at each hint position. Otherwise: one global pass.
    return anchored ? withFlags(source, `y${indices}`, 'g') : withFlags(source, `g${indices}`, 'y');
  }

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
    *find(text: string, hits: readonly number[], tick: Tick): Generator<Finding> {
      regex ??= compile();
      let match: RegExpExecArray | null;
      if (anchored) {
        let covered = 0;
        for (const at of hits) {
          if (at < covered) continue;
          tick();
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
        tick();
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
