import { createHash } from 'node:crypto';

/** Characters Kubernetes uses for generated name suffixes (no vowels, no 0/1/3). */
const K8S = '[bcdfghjklmnpqrstvwxz2456789]';

/** Masks applied in order; earlier ones protect what later ones would split. */
const MASKS: Array<[RegExp, string]> = [
  // Timestamps: ISO-8601 and syslog-like times.
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b\d{4}[-/]\d{2}[-/]\d{2}\b/g, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Temporary parts of paths: /tmp/<anything>, macOS per-user temp folders, mktemp-style names.
  [/\/(?:private\/)?var\/folders\/[^\s/]+\/[^\s/]+\/T\/[^\s/:'"]*/g, '<tmp>'],
  [/\/tmp\/[^\s/:'"]+/g, '/tmp/<tmp>'],
  [/\btmp[._-]?[A-Za-z0-9]{6,}\b/g, '<tmp>'],
  // Pod names: <workload>-<replica-set hash>-<pod suffix>, and <statefulset|job>-<suffix>.
  [new RegExp(`\\b([a-z][a-z0-9-]*?)-${K8S}{6,10}-${K8S}{5}\\b`, 'g'), '$1-<pod>'],
  [new RegExp(`\\b([a-z][a-z0-9-]*?)-(?=${K8S}{0,9}\\d)${K8S}{9,10}\\b`, 'g'), '$1-<rs>'],
  [new RegExp(`\\b([a-z][a-z0-9-]*?)-(?=${K8S}{0,4}\\d)${K8S}{5}\\b`, 'g'), '$1-<pod>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  // Hex hashes and long ids that mix letters and digits (request ids, ULIDs, tokens already redacted).
  [/\b(?:0x)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>'],
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}\b/g, '<id>'],
  [/\b\d+(?:\.\d+)*\b/g, '<n>'],
];

/** Longest normalised message kept as a fingerprint. */
const MAX_FINGERPRINT = 200;

/**
 * An error message with what changes between occurrences masked: numbers, hex hashes, uuids and ids,
 * timestamps, IPs, pod and replica-set suffixes, temporary paths. Two occurrences of the same failure
 * normalise to the same text.
 */
export function normalizeError(message: string): string {
  let text = message.replace(/\s+/g, ' ').trim();
  for (const [pattern, replacement] of MASKS) text = text.replace(pattern, replacement);
  text = text.replace(/(?:<n>[\s,]*){2,}/g, '<n> ');
  return text.length > MAX_FINGERPRINT ? text.slice(0, MAX_FINGERPRINT) : text.trim();
}

/** A short stable id for a normalised message, e.g. `fp-3f9a2c41d0`. */
export function fingerprintId(normalized: string): string {
  return `fp-${createHash('sha256').update(normalized).digest('hex').slice(0, 10)}`;
}

const TELLING =
  /error|exception|refused|failed|failure|fatal|panic|denied|forbidden|unauthori[sz]ed|not found|no such|timed? ?out|timeout|unreachable|unavailable|crashloop|backoff|oomkilled|invalid|cannot|can't|could not|\bE[A-Z]{4,}\b/i;

/** The line of an error output that says what went wrong: the first telling line, else the first line. */
export function tellingLine(output: string): string {
  const lines = output
    .slice(0, 64 * 1024)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const line = lines.find((l) => TELLING.test(l)) ?? lines[0] ?? '';
  return line.length > 300 ? line.slice(0, 300) : line;
}
