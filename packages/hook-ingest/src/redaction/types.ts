import type { Tick } from './deadline.js';

/** Counts of values removed, by detector label. Never the values themselves. */
export type RedactionCounts = Record<string, number>;

/** One secret found in a text: the characters `[start, end)` are replaced by `[REDACTED:<label>]`. */
export interface Finding {
  start: number;
  end: number;
  label: string;
  /**
   * The detector has judged the value itself (a password stored under a password's name): only a reference
   * or an allowed value keeps it, not the general look of a placeholder (`CHANGE_ME`, `1.2.3`).
   */
  literal?: boolean;
}

/** Finds secrets of one kind in a text. */
export interface Detector {
  /** Every label its findings can carry (switching all of them off skips the detector). */
  readonly labels: readonly string[];
  /**
   * Literals (case-sensitive) that every secret it finds contains or follows: the detector runs only on
   * text where one of them occurs. All detectors' hints are searched together in one pass. Empty means
   * always run.
   */
  readonly hints: readonly string[];
  /**
   * Findings in order, not overlapping. `hits`: where its hints occur, for detectors that use them. `tick`
   * is called once per hint or match examined (it throws when the time budget is spent).
   */
  find(text: string, hits: readonly number[], tick: Tick): Iterable<Finding>;
}

/** An extra pattern from config or code: `regex` plus the `label` its marker shows. */
export interface RedactionPattern {
  /**
   * What to remove. The whole match is removed, or only the named group `secret` when the expression has
   * one (e.g. `ticket_key=(?<secret>\w+)` keeps `ticket_key=`).
   */
  regex: RegExp | string;
  label: string;
  /** Match letters of either case (only when `regex` is a string). */
  ignoreCase?: boolean;
}

/** Values kept even when a detector matches them: an exact value, or a regular expression tested on it. */
export type AllowEntry = string | RegExp;

export interface RedactionOptions {
  /** Also remove e-mail addresses (off by default). */
  emails?: boolean;
  /** Extra detectors. Where they overlap a built-in one, the specific built-in detectors win. */
  patterns?: readonly RedactionPattern[];
  /** Values never removed (known test keys, public identifiers). */
  allow?: readonly AllowEntry[];
  /** Built-in detectors to switch off, by label. */
  disable?: readonly string[];
}

/** Redacts one string, adding what it removed to `counts`. */
export type TextRedactor = (text: string, counts?: RedactionCounts) => string;
