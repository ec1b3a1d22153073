// Scores a redactor on the labelled corpus: recall (share of secrets removed) and false positives (share of
// texts that had to stay unchanged and did not).
import { mustGo, mustGoValues, mustStay, mustStayValues } from './secrets.mjs';

/**
 * `redactText(text)` and `redactValue(value)` return the redacted text / value. Returns the figures and
 * every case that went wrong, by name.
 */
export function scoreRedaction(redactText, redactValue) {
  const missed = [];
  const damaged = [];
  let secrets = 0;
  let removed = 0;
  const byKind = {};
  const kind = (k) => (byKind[k] ??= { secrets: 0, removed: 0, kept: 0, damaged: 0 });
  for (const c of [
    ...mustGo.map((x) => ({ ...x, out: redactText(x.text) })),
    ...mustGoValues.map((x) => ({ ...x, out: JSON.stringify(redactValue(x.value)) })),
  ]) {
    for (const secret of c.secrets) {
      secrets++;
      kind(c.kind).secrets++;
      if (c.out.includes(secret)) missed.push(`${c.kind}: ${c.name}`);
      else {
        removed++;
        kind(c.kind).removed++;
      }
    }
  }
  const stays = [
    ...mustStay.map((x) => ({ ...x, same: redactText(x.text) === x.text, out: redactText(x.text) })),
    ...mustStayValues.map((x) => ({
      ...x,
      out: JSON.stringify(redactValue(x.value)),
      same: JSON.stringify(redactValue(x.value)) === JSON.stringify(x.value),
    })),
  ];
  for (const c of stays) {
    if (c.same) kind(c.kind).kept++;
    else {
      kind(c.kind).damaged++;
      damaged.push(`${c.kind}: ${c.name}: ${c.out}`);
    }
  }
  return {
    secrets,
    removed,
    recall: removed / secrets,
    stays: stays.length,
    falsePositives: damaged.length,
    falsePositiveRate: damaged.length / stays.length,
    byKind,
    missed,
    damaged,
  };
}
