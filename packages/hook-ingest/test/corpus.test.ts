import { describe, expect, test } from 'vitest';
import { redactJson, redactText } from '../src/index.js';
import { mustGo, mustStay } from './corpus/secrets.mjs';
import { scoreRedaction } from './corpus/score.mjs';

// The labelled corpus (test/corpus/secrets.mjs): secrets that must go, references and look-alikes that must
// stay. `pnpm eval:redaction` prints the same figures.
const score = scoreRedaction(
  (text) => redactText(text).text,
  (value) => redactJson(value).value,
);

describe('redaction corpus', () => {
  test('holds enough cases in both directions to mean something', () => {
    expect(mustGo.length).toBeGreaterThanOrEqual(30);
    expect(mustStay.length).toBeGreaterThanOrEqual(30);
  });

  test('recall: every secret in the corpus is removed', () => {
    expect(score.missed).toEqual([]);
    expect(score.recall).toBe(1);
  });

  test('false positives: no reference or look-alike in the corpus is changed', () => {
    expect(score.damaged).toEqual([]);
    expect(score.falsePositiveRate).toBe(0);
  });
});
