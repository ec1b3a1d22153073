export { ingestHookEvent, parseHookEvent } from './ingest.js';
export type { IngestResult, ParseOptions, ParseResult, PayloadRedactor, RecordSink, RejectReason } from './ingest.js';
export { DEFAULT_LIMITS, TRUNCATION_MARKER, capDepth, fitToSize } from './limits.js';
export type { IngestLimits } from './limits.js';
