import { RunbookError } from '@runbook/storage-core';
import { TOOL_EVENTS } from './events.js';

/** One command hook as Claude Code's settings.json writes it. */
export interface CommandHook {
  type: 'command';
  command: string;
  /** Seconds before Claude Code cancels the command. */
  timeout?: number;
  /** Run in the background without blocking the agent. */
  async?: boolean;
  [key: string]: unknown;
}

/** How our entry is written. */
export interface HookEntrySpec {
  command: string;
  timeoutSeconds: number;
  async: boolean;
}

/** Our hook entry for one event. */
export function hookEntry(spec: HookEntrySpec): CommandHook {
  const entry: CommandHook = { type: 'command', command: spec.command, timeout: spec.timeoutSeconds };
  if (spec.async) entry.async = true;
  return entry;
}

/** A command that runs `runbook integrations claude hook`, whichever way runbook is invoked. */
export function isRunbookHookCommand(command: unknown): boolean {
  return typeof command === 'string' && /runbook/.test(command) && /(^|\s)integrations\s+claude\s+hook(\s|$)/.test(command);
}

type Group = { matcher?: unknown; hooks: unknown[]; [key: string]: unknown };

/** Where a settings document is not shaped as Claude Code expects; nothing is written then. */
function shapeError(file: string, keyPath: string, expected: string): RunbookError {
  return new RunbookError('CONFIG_INVALID', `${file}: ${keyPath} must be ${expected}; it was left unchanged`);
}

/** The `hooks` object and its event arrays, checked for shape before anything is changed. */
function hooksSection(data: Record<string, unknown>, file: string): Record<string, unknown> | undefined {
  const hooks = data.hooks;
  if (hooks === undefined) return undefined;
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw shapeError(file, 'hooks', 'an object of event names');
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) throw shapeError(file, `hooks.${event}`, 'an array');
    groups.forEach((group, i) => {
      if (group === null || typeof group !== 'object' || Array.isArray(group)) throw shapeError(file, `hooks.${event}[${i}]`, 'an object');
      const inner = (group as Record<string, unknown>).hooks;
      if (inner !== undefined && !Array.isArray(inner)) throw shapeError(file, `hooks.${event}[${i}].hooks`, 'an array');
    });
  }
  return hooks as Record<string, unknown>;
}

/** Our entries found in a document, by event. */
export interface InstalledHook {
  event: string;
  command: string;
  timeout?: number;
  async: boolean;
}

/** The runbook hook entries a settings document holds. Throws `CONFIG_INVALID` on a malformed `hooks` section. */
export function findRunbookHooks(data: Record<string, unknown>, file: string): InstalledHook[] {
  const hooks = hooksSection(data, file);
  if (!hooks) return [];
  const found: InstalledHook[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    for (const group of groups as Group[]) {
      for (const hook of group.hooks ?? []) {
        const h = hook as Partial<CommandHook> | null;
        if (h && typeof h === 'object' && isRunbookHookCommand(h.command)) {
          found.push({ event, command: h.command as string, ...(typeof h.timeout === 'number' ? { timeout: h.timeout } : {}), async: h.async === true });
        }
      }
    }
  }
  return found;
}

/** What an edit changed. */
export interface EditResult {
  added: string[];
  updated: string[];
  removed: string[];
}

/** Remove our entries from the events `keep` does not allow (all when `keep` is undefined); drop groups and events left empty by that. */
function removeOurs(hooks: Record<string, unknown>, keep: ReadonlySet<string> | undefined, result: EditResult): void {
  for (const event of Object.keys(hooks)) {
    if (keep?.has(event)) continue;
    const groups = hooks[event] as Group[];
    let touched = false;
    const kept: Group[] = [];
    for (const group of groups) {
      const inner = group.hooks ?? [];
      const remaining = inner.filter((h) => !isRunbookHookCommand((h as CommandHook | null)?.command));
      if (remaining.length === inner.length) {
        kept.push(group);
        continue;
      }
      touched = true;
      if (remaining.length > 0) kept.push({ ...group, hooks: remaining });
    }
    if (!touched) continue;
    result.removed.push(event);
    if (kept.length > 0) hooks[event] = kept;
    else delete hooks[event];
  }
}

/**
 * Install our entry for exactly `events`: events already holding one get it updated in place, the
 * others get a new matcher group appended after the user's; our entries on other events are removed.
 * Everything else in the document is kept as it was.
 */
export function installHooks(data: Record<string, unknown>, file: string, events: readonly string[], spec: HookEntrySpec): EditResult {
  const result: EditResult = { added: [], updated: [], removed: [] };
  const hooks = hooksSection(data, file) ?? {};
  const wanted = new Set(events);
  removeOurs(hooks, wanted, result);
  const entry = hookEntry(spec);
  for (const event of events) {
    const groups = (hooks[event] as Group[] | undefined) ?? [];
    let present = false;
    for (const group of groups) {
      const inner = group.hooks ?? [];
      inner.forEach((hook, i) => {
        if (!isRunbookHookCommand((hook as CommandHook | null)?.command)) return;
        if (present) {
          inner[i] = undefined;
          return;
        }
        present = true;
        const current = hook as CommandHook;
        const next: CommandHook = { ...current, ...entry };
        if (!spec.async) delete next.async;
        if (JSON.stringify(next) !== JSON.stringify(current)) {
          inner[i] = next;
          result.updated.push(event);
        }
      });
      if (inner.includes(undefined)) group.hooks = inner.filter((h) => h !== undefined);
    }
    if (!present) {
      const group: Group = TOOL_EVENTS.has(event) ? { matcher: '*', hooks: [entry] } : { hooks: [entry] };
      hooks[event] = [...groups, group];
      result.added.push(event);
    }
  }
  if (Object.keys(hooks).length > 0 || data.hooks !== undefined) data.hooks = hooks;
  return result;
}

/** Remove every runbook hook entry; groups, events and a `hooks` object left empty by that go too. */
export function uninstallHooks(data: Record<string, unknown>, file: string): EditResult {
  const result: EditResult = { added: [], updated: [], removed: [] };
  const hooks = hooksSection(data, file);
  if (!hooks) return result;
  removeOurs(hooks, undefined, result);
  if (result.removed.length > 0 && Object.keys(hooks).length === 0) delete data.hooks;
  return result;
}
