import { DEFAULT_LOCAL_BASE_DIR, UPLOAD_MODES, type SessionStorageConfig } from './defaults.js';
import type { ValidationIssueLike } from './issues.js';

export type SessionStorageParseResult =
  | { success: true; data: SessionStorageConfig }
  | { success: false; issues: ValidationIssueLike[] };

const FIELDS: Array<{
  key: 'backend' | 'mirrorLocal' | 'localBaseDir';
  type: 'string' | 'boolean';
  fallback: string | boolean;
}> = [
  { key: 'backend', type: 'string', fallback: 'local' },
  { key: 'mirrorLocal', type: 'boolean', fallback: true },
  { key: 'localBaseDir', type: 'string', fallback: DEFAULT_LOCAL_BASE_DIR },
];

/**
 * Validate `integrations.claude.sessionStorage` and fill defaults. Backend-specific sections (such as
 * `s3:`) are kept as written and validated by that backend's own `configSchema`. Checked by hand, not
 * with a schema library: this runs in the hook, on every tool call.
 */
export function parseSessionStorageConfig(value: unknown): SessionStorageParseResult {
  const input = (value ?? {}) as Record<string, unknown>;
  const data: Record<string, unknown> = { ...input };
  for (const field of FIELDS) {
    const current = input[field.key];
    if (current === undefined || current === null) {
      data[field.key] = field.fallback;
    } else if (typeof current !== field.type) {
      return {
        success: false,
        issues: [{ path: [field.key], code: 'invalid_type', expected: field.type, message: `expected ${field.type}` }],
      };
    } else if (current === '') {
      return { success: false, issues: [{ path: [field.key], code: 'too_small', message: 'must not be empty' }] };
    }
  }
  const upload = input.upload ?? 'spool';
  if (!(UPLOAD_MODES as readonly unknown[]).includes(upload)) {
    return {
      success: false,
      issues: [
        {
          path: ['upload'],
          code: 'custom',
          message: `must be one of ${UPLOAD_MODES.join(', ')}, got ${JSON.stringify(upload)}`,
        },
      ],
    };
  }
  data.upload = upload;
  return { success: true, data: data as SessionStorageConfig };
}
