export { SCHEMA_VERSION, createRecord, serializeRecord } from './record.js';
export type { HookPayload, NewRecordInput, StoredRecord } from './record.js';
export { loadRecordParser } from './record-parser.js';
export type { ParsedLine } from './record-schema.js';
export { parseNdjsonRecords } from './ndjson.js';
export { createEventId, EVENT_ID_PATTERN } from './ulid.js';
export { RunbookError, isRunbookError, describeError } from './errors.js';
export type { RunbookErrorCode } from './errors.js';
export { defineBackend, collect } from './backend.js';
export type {
  AppendOutcome,
  BackendCapabilities,
  BackendContext,
  BackendDefinition,
  ConfigParser,
  ListOptions,
  ReadIssue,
  ReadOptions,
  SessionBackend,
  SessionSummary,
} from './backend.js';
export { createCompositeStore } from './composite.js';
export type { CompositeOptions, MirrorFailure } from './composite.js';
export { sessionIdToSegment, segmentToSessionId } from './session-id.js';
export { DEFAULT_LOCAL_BASE_DIR, defaultSessionStorageConfig } from './config-defaults.js';
export type { SessionStorageConfig } from './config-defaults.js';
export { describeIssue } from './config-issues.js';
export { parseSessionStorageConfig } from './config-schema.js';
export type { SessionStorageParseResult } from './config-schema.js';
export type { ValidationIssueLike } from './config-issues.js';
export {
  CONFIG_RELATIVE_PATH,
  SESSION_STORAGE_KEY,
  configError,
  configSection,
  interpolateEnv,
  loadRunbookConfig,
  parseBackendConfig,
} from './config-loader.js';
export type { LoadConfigOptions, RunbookConfig } from './config-loader.js';
export { resolveLocalBaseDir, resolveProjectDir } from './project-dir.js';
export type { ProjectDirOptions } from './project-dir.js';
