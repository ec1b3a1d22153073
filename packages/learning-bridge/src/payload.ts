import type { HookPayload } from '@runbook/storage-core';

/** A plain object field, or undefined. */
export function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return field !== null && typeof field === 'object' && !Array.isArray(field)
    ? (field as Record<string, unknown>)
    : undefined;
}

/** A non-empty string field, or undefined. */
export function stringField(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field.length > 0 ? field : undefined;
}

/** An integer-valued field (numbers, or numeric strings), or undefined. */
export function integerField(value: unknown, ...keys: string[]): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === 'number' && Number.isInteger(field)) return field;
    if (typeof field === 'string' && /^-?\d+$/.test(field.trim())) return Number.parseInt(field, 10);
  }
  return undefined;
}

export function booleanField(value: unknown, key: string): boolean | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'boolean' ? field : undefined;
}

/** The fields of a tool call a timeline cares about, read from a hook payload. */
export interface ToolPayload {
  toolName: string;
  toolUseId?: string;
  input: Record<string, unknown>;
  response?: unknown;
}

export function toolPayload(payload: HookPayload): ToolPayload {
  return {
    toolName: stringField(payload, 'tool_name') ?? 'unknown tool',
    toolUseId: stringField(payload, 'tool_use_id'),
    input: objectField(payload, 'tool_input') ?? {},
    response: payload.tool_response,
  };
}
