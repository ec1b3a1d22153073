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
  for (const key of issue.path)
    actual = actual !== null && typeof actual === 'object' ? (actual as Record<PropertyKey, unknown>)[key] : undefined;
  if (issue.code === 'invalid_type' && issue.expected) {
    return actual === undefined
      ? `is required (${issue.expected})`
      : `must be ${issue.expected}, got ${typeOf(actual)}`;
  }
  if (issue.code === 'too_small' && typeof actual === 'string') return 'must not be empty';
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}
