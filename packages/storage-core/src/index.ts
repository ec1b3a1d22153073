export { createRecord, serializeRecord } from './record/record.js';
export type { HookPayload, NewRecordInput, StoredRecord } from './record/record.js';
export { loadRecordParser } from './record/parser.js';
export type { ParsedLine } from './record/schema.js';
export { parseNdjsonRecords } from './record/ndjson.js';
export { createEventId, EVENT_ID_PATTERN } from './record/event-id.js';
export { RunbookError, isRunbookError, describeError } from './errors.js';
export type { RunbookErrorCode } from './errors.js';
export { defineBackend, collect } from './backend/contract.js';
export type {
  AppendOutcome,
  BackendDescription,
  ProbeOptions,
  ProbeResult,
  BackendContext,
  BackendDefinition,
  CompactionSummary,
  ConfigParser,
  ListOptions,
  ReadIssue,
  ReadOptions,
  SessionBackend,
  SessionSummary,
} from './backend/contract.js';
export {
  MAIN_TRANSCRIPT,
  TRANSCRIPT_FILE_PATTERN,
  assertTranscriptChunk,
  compareTranscriptChunks,
  parseTranscriptChunkName,
  transcriptChunkName,
} from './backend/transcript.js';
export type { TranscriptChunk, TranscriptReadOptions } from './backend/transcript.js';
export { hasArchivedTranscript, readArchivedTranscript } from './backend/transcript-read.js';
export type { ArchivedTranscriptOptions } from './backend/transcript-read.js';
export { createCompositeStore } from './backend/composite.js';
export type { CompositeOptions } from './backend/composite.js';
export type { MirrorFailure } from './backend/mirrors.js';
export { sessionIdToSegment, segmentToSessionId } from './record/session-id.js';
export { DEFAULT_LOCAL_BASE_DIR, UPLOAD_MODES } from './config/defaults.js';
export type { SessionStorageConfig, UploadMode } from './config/defaults.js';
export {
  SESSION_STORAGE_KEY,
  configError,
  configSection,
  loadRunbookConfig,
  parseBackendConfig,
} from './config/loader.js';
export type { LoadConfigOptions, RunbookConfig } from './config/loader.js';
export { MAX_CONFIG_BYTES } from './config/yaml.js';
export { resolveLocalBaseDir, resolveProjectDir } from './config/project-dir.js';
export type { ProjectDirOptions } from './config/project-dir.js';
export { openOutbox, outboxEntryKind, outboxEntryTime, EVENT_ENTRY_KIND } from './outbox/outbox.js';
export type { Outbox, OutboxItemKey, OutboxOptions, OutboxRead } from './outbox/outbox.js';
export { drainOutbox } from './outbox/drain.js';
export type { DrainFailure, DrainOptions, DrainProgress, DrainResult, EntrySender } from './outbox/drain.js';
export {
  tryAcquireDrainLock,
  adoptDrainLock,
  drainLockHolder,
  processStartTime,
  DRAIN_LOCK_FILE,
  DEFAULT_HEARTBEAT_MS,
} from './outbox/lock.js';
export type { DrainLock, DrainLockHolder, LockOptions } from './outbox/lock.js';
export { readDrainState, writeDrainState, wakeDrainer, DRAIN_WAKE_FILE } from './outbox/state.js';
export type { DrainState } from './outbox/state.js';
export { moveOutboxEntries } from './outbox/move.js';
export { createSpoolStore } from './outbox/spool.js';
export type { SpoolStore, SpoolStoreOptions } from './outbox/spool.js';
export { createOutboxStore } from './outbox/store.js';
export type { OutboxStore, OutboxStoreOptions } from './outbox/store.js';
export { parseOutboxConfig, DEFAULT_OUTBOX_DIR } from './outbox/config.js';
export type { OutboxConfig } from './outbox/config.js';
export {
  ERROR_TEXT_LIMIT,
  SEGMENT_COLUMNS,
  SEGMENT_PARTITION_COLUMN,
  SEGMENT_SCHEMA_VERSION,
  recordToRow,
  rowToRecord,
  segmentDay,
} from './record/segment-row.js';
export type { SegmentColumn, SegmentColumnType, SegmentRow } from './record/segment-row.js';
export { decodeSegment, encodeSegment } from './record/segment-codec.js';
export type { DecodedSegment } from './record/segment-codec.js';
export {
  TRANSCRIPT_CHUNK_ENTRY_KIND,
  TRANSCRIPT_SPOOL_DIR,
  drainTranscriptSpool,
  openTranscriptSpool,
  sendTranscriptChunk,
  transcriptSpoolEntryName,
} from './outbox/transcript-spool.js';
export type { TranscriptDrainResult, TranscriptSpool } from './outbox/transcript-spool.js';
