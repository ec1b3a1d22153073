export { SCHEMA_VERSION, createRecord, serializeRecord } from './record/record.js';
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
  BackendCapabilities,
  BackendDescription,
  ProbeOptions,
  ProbeResult,
  BackendContext,
  BackendDefinition,
  ConfigParser,
  ListOptions,
  ReadIssue,
  ReadOptions,
  SessionBackend,
  SessionSummary,
} from './backend/contract.js';
export { createCompositeStore } from './backend/composite.js';
export type { CompositeOptions, MirrorFailure } from './backend/composite.js';
export { sessionIdToSegment, segmentToSessionId } from './record/session-id.js';
export { DEFAULT_LOCAL_BASE_DIR, defaultSessionStorageConfig } from './config/defaults.js';
export type { SessionStorageConfig } from './config/defaults.js';
export { describeIssue } from './config/issues.js';
export { parseSessionStorageConfig } from './config/schema.js';
export type { SessionStorageParseResult } from './config/schema.js';
export type { ValidationIssueLike } from './config/issues.js';
export {
  CONFIG_RELATIVE_PATH,
  SESSION_STORAGE_KEY,
  configError,
  configSection,
  interpolateEnv,
  loadRunbookConfig,
  parseBackendConfig,
} from './config/loader.js';
export type { LoadConfigOptions, RunbookConfig } from './config/loader.js';
export { MAX_CONFIG_BYTES } from './config/yaml.js';
export { resolveLocalBaseDir, resolveProjectDir } from './config/project-dir.js';
export type { ProjectDirOptions } from './config/project-dir.js';
export { openOutbox, outboxEntryName, outboxEntryTime, CORRUPT_DIR } from './outbox/outbox.js';
export type { Outbox, OutboxOptions, OutboxRead } from './outbox/outbox.js';
export { drainOutbox } from './outbox/drain.js';
export type { DrainFailure, DrainOptions, DrainProgress, DrainResult } from './outbox/drain.js';
export { tryAcquireDrainLock, drainLockHolder, DRAIN_LOCK_FILE, DEFAULT_LOCK_STALE_MS } from './outbox/lock.js';
export type { DrainLock, DrainLockHolder } from './outbox/lock.js';
export { createOutboxStore, DEFAULT_UPLOAD_BUDGET_MS } from './outbox/store.js';
export type { OutboxStore, OutboxStoreOptions } from './outbox/store.js';
export { parseOutboxConfig, DEFAULT_OUTBOX_DIR } from './outbox/config.js';
export type { OutboxConfig } from './outbox/config.js';
