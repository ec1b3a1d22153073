import { RunbookError } from '@runbook/storage-core';
import { TOOL_EVENTS } from './events.js';
import { appendItem, appendMember, detectIndent, member, parseJsonTree, removeItem, removeMember, replaceValue, type JsonNode } from './json-tree.js';
import type { SettingsDocument } from './settings-file.js';

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

/** One of our hook entries, located in the text. */
interface Located {
  event: string;
  eventIndex: number;
  groupIndex: number;
  hookIndex: number;
  node: JsonNode;
  hook: CommandHook;
}

// Nesting depths in a settings file: root 0, `hooks` 1, an event's array 2, a group 3, its `hooks` 4, one hook 5.
const EVENT_OBJECT_DEPTH = 1;
const EVENT_ARRAY_DEPTH = 2;
const HOOK_DEPTH = 5;

function locateOurs(text: string): { root: JsonNode; found: Located[] } {
  const root = parseJsonTree(text);
  const found: Located[] = [];
  const hooks = member(root, 'hooks')?.value;
  (hooks?.members ?? []).forEach((eventMember, eventIndex) => {
    (eventMember.value.items ?? []).forEach((group, groupIndex) => {
      (member(group, 'hooks')?.value.items ?? []).forEach((node, hookIndex) => {
        const hook = JSON.parse(text.slice(node.start, node.end)) as CommandHook | null;
        if (hook && typeof hook === 'object' && isRunbookHookCommand(hook.command)) found.push({ event: eventMember.key, eventIndex, groupIndex, hookIndex, node, hook });
      });
    });
  });
  return { root, found };
}

/** Remove one located entry; its group goes when nothing else is in it, the event when no group is left. */
function removeLocated(text: string, root: JsonNode, at: Located): string {
  const hooks = member(root, 'hooks')!.value;
  const eventArray = hooks.members![at.eventIndex]!.value;
  const group = eventArray.items![at.groupIndex]!;
  const groupHooks = member(group, 'hooks')!.value;
  if (groupHooks.items!.length > 1) return removeItem(text, groupHooks, at.hookIndex);
  if (eventArray.items!.length > 1) return removeItem(text, eventArray, at.groupIndex);
  return removeMember(text, hooks, at.eventIndex);
}

/** Remove our entries that `shouldRemove` picks, one at a time (positions move after each edit). */
function removeWhere(doc: SettingsDocument, shouldRemove: (at: Located, keptBefore: ReadonlySet<string>) => boolean, removed: Set<string>): void {
  for (;;) {
    const { root, found } = locateOurs(doc.text);
    const kept = new Set<string>();
    const target = found.find((at) => {
      if (shouldRemove(at, kept)) return true;
      kept.add(at.event);
      return false;
    });
    if (!target) return;
    if (!kept.has(target.event)) removed.add(target.event);
    doc.text = removeLocated(doc.text, root, target);
  }
}

function refresh(doc: SettingsDocument): void {
  doc.data = JSON.parse(doc.text) as Record<string, unknown>;
}

/**
 * Install our entry for exactly `events`: events already holding one get it updated in place, the
 * others get a new matcher group after the user's; our entries on other events are removed. Only
 * those spots of the text change: the rest of the file keeps its bytes.
 */
export function installHooks(doc: SettingsDocument, events: readonly string[], spec: HookEntrySpec): EditResult {
  hooksSection(doc.data, doc.file);
  const indent = detectIndent(doc.text);
  const wanted = new Set(events);
  const removed = new Set<string>();
  // Our entries on events not wanted, and second copies on wanted ones.
  removeWhere(doc, (at, kept) => !wanted.has(at.event) || kept.has(at.event), removed);
  const result: EditResult = { added: [], updated: [], removed: [...removed] };
  const entry = hookEntry(spec);
  for (const event of events) {
    const { root, found } = locateOurs(doc.text);
    const present = found.find((at) => at.event === event);
    if (present) {
      const next: CommandHook = { ...present.hook, ...entry };
      if (!spec.async) delete next.async;
      if (JSON.stringify(next) !== JSON.stringify(present.hook)) {
        doc.text = replaceValue(doc.text, present.node, next, HOOK_DEPTH, indent);
        result.updated.push(event);
      }
      continue;
    }
    const group = TOOL_EVENTS.has(event) ? { matcher: '*', hooks: [entry] } : { hooks: [entry] };
    const hooks = member(root, 'hooks');
    const eventMember = member(hooks?.value, event);
    if (!hooks) doc.text = appendMember(doc.text, root, 'hooks', { [event]: [group] }, 0, indent);
    else if (!eventMember) doc.text = appendMember(doc.text, hooks.value, event, [group], EVENT_OBJECT_DEPTH, indent);
    else doc.text = appendItem(doc.text, eventMember.value, group, EVENT_ARRAY_DEPTH, indent);
    result.added.push(event);
  }
  refresh(doc);
  return result;
}

/** Remove every runbook hook entry; groups, events and a `hooks` object left empty by that go too. */
export function uninstallHooks(doc: SettingsDocument): EditResult {
  hooksSection(doc.data, doc.file);
  const removed = new Set<string>();
  removeWhere(doc, () => true, removed);
  if (removed.size > 0) {
    const root = parseJsonTree(doc.text);
    const index = (root.members ?? []).findIndex((m) => m.key === 'hooks');
    if (index !== -1 && root.members![index]!.value.members?.length === 0) doc.text = removeMember(doc.text, root, index);
  }
  refresh(doc);
  return { added: [], updated: [], removed: [...removed] };
}
