import * as z from 'zod/mini';

export const DEFAULT_LOCAL_BASE_DIR = '.runbook/hooks/claude';

/**
 * `integrations.claude.sessionStorage`. Backend-specific sections (such as `s3:`) are kept as they are
 * and validated by that backend's own `configSchema`.
 */
export const sessionStorageConfigSchema = z.looseObject({
  /** `local`, `s3`, or the name of an installed backend package. */
  backend: z._default(z.string().check(z.minLength(1)), 'local'),
  /** Keep a local copy of every event when the primary backend is not `local`. */
  mirrorLocal: z._default(z.boolean(), true),
  /** Where local copies live; relative paths resolve against the project directory. */
  localBaseDir: z._default(z.string().check(z.minLength(1)), DEFAULT_LOCAL_BASE_DIR),
});

export type SessionStorageConfig = z.infer<typeof sessionStorageConfigSchema>;

export function defaultSessionStorageConfig(): SessionStorageConfig {
  return { backend: 'local', mirrorLocal: true, localBaseDir: DEFAULT_LOCAL_BASE_DIR };
}

export interface ValidationIssueLike {
  path: PropertyKey[];
  message: string;
  code?: string;
  expected?: string;
  input?: unknown;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : typeof value;
}

/** A readable sentence for one validation issue (zod's own messages are terse). */
export function describeIssue(issue: ValidationIssueLike, value: unknown): string {
  let actual: unknown = value;
  for (const key of issue.path) actual = actual !== null && typeof actual === 'object' ? (actual as Record<PropertyKey, unknown>)[key] : undefined;
  if (issue.code === 'invalid_type' && issue.expected) {
    return actual === undefined ? `is required (${issue.expected})` : `must be ${issue.expected}, got ${typeOf(actual)}`;
  }
  if (issue.code === 'too_small' && typeof actual === 'string') return 'must not be empty';
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}
