/** Every error this project raises on purpose carries one of these codes; match on `code`, not on the message. */
export type RunbookErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'BACKEND_UNKNOWN'
  | 'BACKEND_UNAVAILABLE'
  | 'SESSION_ID_INVALID'
  | 'RECORD_INVALID'
  | 'STORAGE_WRITE_FAILED'
  | 'STORAGE_READ_FAILED'
  | 'SESSION_NOT_FOUND'
  | 'CAPABILITY_MISSING';

/** The one error base class: a stable `code` to branch on, a one-line `message` for people. */
export class RunbookError extends Error {
  override readonly name = 'RunbookError';
  readonly code: RunbookErrorCode;

  constructor(code: RunbookErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isRunbookError(value: unknown, code?: RunbookErrorCode): value is RunbookError {
  return value instanceof RunbookError && (code === undefined || value.code === code);
}

/** A short, single-line description of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = error.message.split('\n')[0] ?? error.name;
    return typeof code === 'string' && !text.includes(code) && !(error instanceof RunbookError)
      ? `${text} (${code})`
      : text;
  }
  return String(error).split('\n')[0] ?? 'unknown error';
}
