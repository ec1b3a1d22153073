import { assignmentDetector } from './assignments.js';
import { SHAPE_DETECTORS } from './builtin.js';
import { UNLIMITED, type Tick } from './deadline.js';
import { emailDetector } from './emails.js';
import { patternDetector } from './pattern.js';
import type {
  AllowEntry,
  Detector,
  Finding,
  RedactionCounts,
  RedactionOptions,
  RedactionPattern,
  TextRedactor,
} from './types.js';
import { isPlaceholder, isReference, marker } from './values.js';

/** Shorter strings cannot hold any secret the detectors know (the shortest is `pass=abc`). */
const MIN_LENGTH = 6;

/** Compile an extra pattern; throws `SyntaxError` for an invalid expression. */
export function compilePattern(pattern: RedactionPattern): Detector {
  const source = typeof pattern.regex === 'string' ? pattern.regex : pattern.regex.source;
  const flags =
    typeof pattern.regex === 'string' ? (pattern.ignoreCase ? 'i' : '') : pattern.regex.flags.replace(/[gy]/g, '');
  return patternDetector({ label: pattern.label, regex: new RegExp(source, `${flags}g`) });
}

function allowTest(allow: readonly AllowEntry[] | undefined): (value: string) => boolean {
  if (!allow || allow.length === 0) return () => false;
  const exact = new Set(allow.filter((a): a is string => typeof a === 'string'));
  const patterns = allow
    .filter((a): a is RegExp => a instanceof RegExp)
    .map((r) => new RegExp(r.source, r.flags.replace(/[gy]/g, '')));
  return (value) => exact.has(value) || patterns.some((r) => r.test(value));
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

type Hits = Array<number[] | undefined>;

/**
 * One search for every detector's hints at once: which detectors have anything to look at, and where.
 * Text that contains none of them (most text) costs this one pass and nothing else. Each detector gets the
 * positions where its hints start; the assignment detector (`positional`) gets a position inside each
 * keyword, found with a lighter loop that allocates nothing per hit.
 */
function hintScanner(
  detectors: readonly Detector[],
  positional: Detector,
): (text: string, tick: Tick) => Hits | undefined {
  const owners = new Map<string, number[]>();
  const always: number[] = [];
  let positionalIndex = -1;
  detectors.forEach((detector, index) => {
    if (detector === positional) positionalIndex = index;
    else if (detector.hints.length === 0) always.push(index);
    else for (const hint of detector.hints) owners.set(hint, [...(owners.get(hint) ?? []), index]);
  });
  // Longest first, so `sk-ant-` wins over `sk-` where both match. (A trie-shaped expression scans about 10%
  // faster but costs more to build than it saves on the small events most hook calls carry.)
  const alternation = (literals: readonly string[]) =>
    new RegExp(
      [...new Set(literals)]
        .filter((l) => l.length > 0)
        .sort((a, b) => b.length - a.length)
        .map(escapeRegex)
        .join('|'),
      'g',
    );
  const shapes = owners.size > 0 ? alternation([...owners.keys()]) : undefined;
  const keywords = positionalIndex >= 0 ? alternation(positional.hints) : undefined;
  return (text, tick) => {
    let hits: Hits | undefined;
    for (const index of always) (hits ??= [])[index] = [];
    if (shapes) {
      shapes.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = shapes.exec(text)) !== null) {
        tick();
        for (const index of owners.get(match[0])!) ((hits ??= [])[index] ??= []).push(match.index);
      }
    }
    if (keywords) {
      // Any position inside the keyword will do: the detector widens it to the whole name.
      keywords.lastIndex = 0;
      let at: number[] | undefined;
      while (keywords.test(text)) {
        tick();
        (at ??= []).push(keywords.lastIndex - 1);
      }
      if (at) (hits ??= [])[positionalIndex] = at;
    }
    return hits;
  };
}

/** The detectors to run, by priority: specific shapes, extra patterns, key names, then (optionally) e-mails. */
export function selectDetectors(options: RedactionOptions): { detectors: Detector[]; disabled: Set<string> } {
  const disabled = new Set(options.disable ?? []);
  if (!options.emails) disabled.add('email');
  const all = [...SHAPE_DETECTORS, ...(options.patterns ?? []).map(compilePattern), assignmentDetector, emailDetector];
  return { detectors: all.filter((d) => d.labels.some((l) => !disabled.has(l))), disabled };
}

export interface CompiledRedaction {
  text: TextRedactor;
  /** {@link text} within a time budget: `tick` is called per unit of work and throws `OutOfTime` when it is spent. */
  within: (input: string, counts: RedactionCounts, tick: Tick) => string;
  /** True when the value may be stored as it is (allowed, or a placeholder such as `${TOKEN}`). */
  keep: (value: string) => boolean;
  disabled: ReadonlySet<string>;
}

/**
 * Add one detector's findings (ordered, not overlapping) to those accepted so far (ordered, not overlapping,
 * all of higher priority): a finding that overlaps an accepted one is dropped. One merge, linear in both.
 */
function mergeFindings(accepted: Finding[], lower: Finding[]): Finding[] {
  if (accepted.length === 0) return lower;
  const out: Finding[] = [];
  let i = 0;
  for (const finding of lower) {
    while (i < accepted.length && accepted[i]!.start < finding.start) out.push(accepted[i++]!);
    const before = out[out.length - 1];
    const after = accepted[i];
    if ((before && before.end > finding.start) || (after && after.start < finding.end)) continue;
    out.push(finding);
  }
  while (i < accepted.length) out.push(accepted[i++]!);
  return out;
}

/** Compile options once; the returned redactor is reused for every string. */
export function compileRedaction(options: RedactionOptions = {}): CompiledRedaction {
  const { detectors, disabled } = selectDetectors(options);
  const scan = hintScanner(detectors, assignmentDetector);
  const allowed = allowTest(options.allow);
  const keep = (value: string) => isPlaceholder(value) || allowed(value);
  const keepLiteral = (value: string) => isReference(value) || allowed(value);

  const within = (input: string, counts: RedactionCounts, tick: Tick): string => {
    if (input.length < MIN_LENGTH) return input;
    tick();
    const hits = scan(input, tick);
    if (!hits) return input;
    let found: Finding[] = [];
    for (let i = 0; i < detectors.length; i++) {
      const at = hits[i];
      if (!at) continue;
      const mine: Finding[] = [];
      for (const finding of detectors[i]!.find(input, at, tick)) {
        if (disabled.has(finding.label)) continue;
        const value = input.slice(finding.start, finding.end);
        if (!(finding.literal ? keepLiteral(value) : keep(value))) mine.push(finding);
      }
      if (mine.length > 0)
        found = mergeFindings(
          found,
          mine.sort((a, b) => a.start - b.start),
        );
    }
    if (found.length === 0) return input;
    const pieces: string[] = [];
    let last = 0;
    for (const finding of found) {
      pieces.push(input.slice(last, finding.start), marker(finding.label));
      last = finding.end;
      counts[finding.label] = (counts[finding.label] ?? 0) + 1;
    }
    pieces.push(input.slice(last));
    return pieces.join('');
  };
  const text: TextRedactor = (input, counts = {}) => within(input, counts, UNLIMITED);
  return { text, within, keep, disabled };
}

let defaultRedaction: CompiledRedaction | undefined;

/** The built-in detectors with default options, compiled on first use. */
export function defaultCompiledRedaction(): CompiledRedaction {
  defaultRedaction ??= compileRedaction();
  return defaultRedaction;
}

/**
 * Remove secrets from one text. Returns the text with each secret replaced by `[REDACTED:<label>]` and
 * how many were removed by which detector. Pass options to add patterns, allow values or switch
 * detectors off; for many texts with the same options, compile once with {@link createTextRedactor}.
 */
export function redactText(text: string, options?: RedactionOptions): { text: string; redactions: RedactionCounts } {
  const redactions: RedactionCounts = {};
  const compiled = options ? compileRedaction(options) : defaultCompiledRedaction();
  return { text: compiled.text(text, redactions), redactions };
}

/** A reusable text redactor for fixed options (patterns compiled once). */
export function createTextRedactor(options: RedactionOptions = {}): TextRedactor {
  return compileRedaction(options).text;
}
