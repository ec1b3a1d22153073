/**
 * Claude Code hook events, as listed in its hooks reference. `enable` installs the hook for all of
 * them unless `--events` names others; newer Claude Code versions add events, which `--events` accepts
 * by name.
 */
export const CLAUDE_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PostToolUseFailure',
  'Notification',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'PreCompact',
  'SessionEnd',
] as const;

/** Events whose matcher is a tool name; the hook entry for them says `"matcher": "*"` (every tool). */
export const TOOL_EVENTS: ReadonlySet<string> = new Set([
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PostToolUseFailure',
]);

const EVENT_NAME = /^[A-Z][A-Za-z]+$/;

/** Split `--events` values (`A,B` or repeated) into names; throws on one that cannot be an event name. */
export function parseEventList(values: string[]): string[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!EVENT_NAME.test(name))
      throw new Error(`"${name}" is not a hook event name (e.g. ${CLAUDE_HOOK_EVENTS.slice(0, 3).join(', ')})`);
  }
  return [...new Set(names)];
}
