export { ingestHookEvent, parseHookEvent, MAX_EVENT_NAME_LENGTH, MAX_SESSION_ID_LENGTH } from './ingest.js';
export type { IngestResult, ParseOptions, ParseResult, RecordSink, RejectReason } from './ingest.js';
export { DEFAULT_LIMITS, TRUNCATION_MARKER, capDepth, fitToSize, pruneDeepJson } from './limits.js';
export type { IngestLimits } from './limits.js';
export {
  BUILTIN_LABELS,
  createRedactor,
  createTextRedactor,
  isSecretName,
  redactJson,
  redactText,
  redactionMarker,
} from './redaction/index.js';
export type {
  AllowEntry,
  PayloadRedactor,
  RedactOptions,
  RedactionCounts,
  RedactionOptions,
  RedactionPattern,
  TextRedactor,
} from './redaction/index.js';
export {
  LIMITS_KEY,
  REDACTION_KEY,
  ingestSettingsFromConfig,
  parseLimitsConfig,
  parseRedactionConfig,
} from './config.js';
export type { IngestSettings, RedactionConfig } from './config.js';
export { createTranscriptLineRedactor } from './transcript-lines.js';
export type { RedactedLine, TranscriptLineRedactor } from './transcript-lines.js';
