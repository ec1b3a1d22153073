import { RunbookError } from '@runbook/storage-core';
import { TOOL_EVENTS } from './events.js';
import {
  appendItem,
  appendMember,
  detectIndent,
  findDuplicateKey,
  member,
  parseJsonTree,
  removeItem,
  removeMember,
  replaceValue,
  type JsonNode,
} from './json-tree.js';
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
  /**
   * What the user asked for explicitly. An entry already in the file keeps the user's own command (their
   * extra arguments such as `--project-dir`), timeout and async unless given here; a command that can no
   * longer start (see `keepCommand`) is replaced.
   */
  explicit?: { command?: boolean; timeout?: boolean; async?: boolean };
  /** Whether an existing entry's command still works and so is kept; default: always kept. */
  keepCommand?: (command: string) => boolean;
}

/** Our hook entry for one event. */
export function hookEntry(spec: HookEntrySpec): CommandHook {
  const entry: CommandHook = { type: 'command', command: spec.command, timeout: spec.timeoutSeconds };
  if (spec.async) entry.async = true;
  return entry;
}

/** A command that runs `runbook integrations claude hook`, whichever way runbook is invoked. */
export function isRunbookHookCommand(command: unknown): boolean {
  return (
    typeof command === 'string' && /runbook/.test(command) && /(^|\s)integrations\s+claude\s+hook(\s|$)/.test(command)
  );
}

type Group = { matcher?: unknown; hooks: unknown[]; [key: string]: unknown };

/** Where a settings document is not shaped as Claude Code expects; nothing is written then. */
function shapeError(file: string, keyPath: string, expected: string): RunbookError {
  return new RunbookError('CONFIG_INVALID', `${file}: ${keyPath} must be ${expected}; it was left unchanged`);
}

/**
 * A key written twice in one object: Claude Code (JSON.parse) reads only the last copy, so an edit of the
 * first would change nothing that counts. Refused, naming the key and its line.
 */
function refuseDuplicateKeys(doc: SettingsDocument): void {
  const duplicate = findDuplicateKey(parseJsonTree(doc.text));
  if (!duplicate) return;
  const line = doc.text.slice(0, duplicate.offset).split('\n').length;
  throw new RunbookError(
    'CONFIG_INVALID',
    `${doc.file}:${line}: key "${duplicate.key}" appears twice in one object and Claude Code reads only the last one; merge them by hand, the file was left unchanged`,
  );
}

/** The `hooks` object and its event arrays, checked for shape before anything is changed. */
function hooksSection(data: Record<string, unknown>, file: string): Record<string, unknown> | undefined {
  const hooks = data.hooks;
  if (hooks === undefined) return undefined;
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks))
    throw shapeError(file, 'hooks', 'an object of event names');
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) throw shapeError(file, `hooks.${event}`, 'an array');
    groups.forEach((group, i) => {
      if (group === null || typeof group !== 'object' || Array.isArray(group))
        throw shapeError(file, `hooks.${event}[${i}]`, 'an object');
      const inner = (group as Record<string, unknown>).hooks;
      if (inner !== undefined && !Array.isArray(inner))
        throw shapeError(file, `hooks.${event}[${i}].hooks`, 'an array');
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
          found.push({
            event,
            command: h.command as string,
            ...(typeof h.timeout === 'number' ? { timeout: h.timeout } : {}),
            async: h.async === true,
          });
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
  /** Events whose entry differs from what would be written and was kept as the user wrote it. */
  kept: string[];
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
        if (hook && typeof hook === 'object' && isRunbookHookCommand(hook.command))
          found.push({ event: eventMember.key, eventIndex, groupIndex, hookIndex, node, hook });
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
function removeWhere(
  doc: SettingsDocument,
  shouldRemove: (at: Located, keptBefore: ReadonlySet<string>) => boolean,
  removed: Set<string>,
): void {
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

/** The words after `integrations claude hook`: what the user added (`--project-dir <dir>`, ...). */
function trailingArguments(command: string): string {
  const match = /(?:^|\s)integrations\s+claude\s+hook(\s.*)?$/.exec(command);
  return match?.[1] ?? '';
}

/**
 * An entry already in the file, updated: the user's own keys, command, timeout and async stay unless the
 * user asked for others. A command that no longer starts gets the new invocation with the user's arguments.
 */
function updatedEntry(current: CommandHook, entry: CommandHook, spec: HookEntrySpec): CommandHook {
  const explicit = spec.explicit ?? { command: true, timeout: true, async: true };
  const next: CommandHook = { ...current };
  if (explicit.command) next.command = entry.command;
  else if (!(spec.keepCommand ?? (() => true))(current.command))
    next.command = `${entry.command}${trailingArguments(current.command)}`;
  if (explicit.timeout || typeof current.timeout !== 'number') next.timeout = spec.timeoutSeconds;
  if (explicit.async) {
    if (spec.async) next.async = true;
    else delete next.async;
  }
  return next;
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
  refuseDuplicateKeys(doc);
  hooksSection(doc.data, doc.file);
  const indent = detectIndent(doc.text);
  const wanted = new Set(events);
  const removed = new Set<string>();
  // Our entries on events not wanted, and second copies on wanted ones.
  removeWhere(doc, (at, kept) => !wanted.has(at.event) || kept.has(at.event), removed);
  const result: EditResult = { added: [], updated: [], removed: [...removed], kept: [] };
  const entry = hookEntry(spec);
  for (const event of events) {
    const { root, found } = locateOurs(doc.text);
    const present = found.find((at) => at.event === event);
    if (present) {
      const next = updatedEntry(present.hook, entry, spec);
      if (JSON.stringify(next) !== JSON.stringify(present.hook)) {
        doc.text = replaceValue(doc.text, present.node, next, HOOK_DEPTH, indent);
        result.updated.push(event);
      }
      if (next.command !== entry.command || next.timeout !== entry.timeout || (next.async === true) !== spec.async)
        result.kept.push(event);
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
  refuseDuplicateKeys(doc);
  hooksSection(doc.data, doc.file);
  const removed = new Set<string>();
  removeWhere(doc, () => true, removed);
  if (removed.size > 0) {
    const root = parseJsonTree(doc.text);
    const index = (root.members ?? []).findIndex((m) => m.key === 'hooks');
    if (index !== -1 && root.members![index]!.value.members?.length === 0)
      doc.text = removeMember(doc.text, root, index);
  }
  refresh(doc);
  return { added: [], updated: [], removed: [...removed], kept: [] };
}
