import type { StoredRecord } from '@runbook/storage-core';

export type RejectReason = 'empty' | 'invalid-json' | 'not-object' | 'missing-field' | 'invalid-field' | 'too-large';

/** Why an input is not stored, in one line that quotes no secret. */
export interface Rejection {
  ok: false;
  reason: RejectReason;
  message: string;
}

export type ParseResult = { ok: true; record: StoredRecord; notes: string[] } | Rejection;
