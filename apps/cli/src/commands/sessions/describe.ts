import type { StoredRecord } from '@runbook/storage-core';
import { oneLine } from '../../output/text.js';

const WIDTH = 160;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A multi-line command (a heredoc, a script) as its first line and an ellipsis. */
function firstLine(command: string): string {
  const trimmed = command.trim();
  const nl = trimmed.indexOf('\n');
  return nl === -1 ? trimmed : `${trimmed.slice(0, nl).trimEnd()} …`;
}

/** The gist of a tool call's input: the command, file, pattern or URL it is about. */
export function describeToolInput(input: unknown): string {
  const fields = obj(input);
  if (!fields) return '';
  for (const key of [
    'command',
    'file_path',
    'notebook_path',
    'pattern',
    'url',
    'query',
    'path',
    'description',
    'prompt',
  ]) {
    const value = str(fields[key]);
    if (value) return key === 'command' ? firstLine(value) : value;
  }
  const json = JSON.stringify(fields);
  return json === '{}' ? '' : json;
}

/** The gist of a tool result: an error, an exit code, or the first output line. */
function describeToolResponse(response: unknown): string {
  if (typeof response === 'string') return response;
  const fields = obj(response);
  if (!fields) return response === undefined ? '' : JSON.stringify(response);
  const error = str(fields.error) ?? str(fields.stderr);
  const exit =
    typeof fields.exitCode === 'number'
      ? fields.exitCode
      : typeof fields.exit_code === 'number'
        ? fields.exit_code
        : undefined;
  const output = str(fields.stdout) ?? str(fields.output) ?? str(fields.content) ?? str(fields.result);
  if (fields.interrupted === true) return 'interrupted';
  if (exit !== undefined && exit !== 0) return `exit ${exit}${error ? `: ${error}` : ''}`;
  if (fields.success === false) return `failed${error ? `: ${error}` : ''}`;
  if (output) return output.split('\n').find((l) => l.trim() !== '') ?? '';
  return 'ok';
}

/** One line saying what a stored event was: the prompt, the tool call, its result, why a session ended. */
export function describeEvent(record: StoredRecord): string {
  const p = record.payload;
  const tool = str(p.tool_name) ?? 'tool';
  let text: string;
  switch (record.eventName) {
    case 'UserPromptSubmit':
      text = str(p.prompt) ?? '';
      break;
    case 'PreToolUse':
    case 'PermissionRequest':
      text = `${tool}: ${describeToolInput(p.tool_input)}`;
      break;
    case 'PostToolUse':
      text = `${tool} → ${describeToolResponse(p.tool_response)}`;
      break;
    case 'PostToolUseFailure':
      text = `${tool} failed: ${str(p.error) ?? describeToolResponse(p.tool_response)}`;
      break;
    case 'Notification':
      text = str(p.message) ?? '';
      break;
    case 'SessionStart':
      text = [str(p.source), str(p.model)].filter(Boolean).join(', ');
      break;
    case 'SessionEnd':
      text = str(p.reason) ?? '';
      break;
    case 'SubagentStart':
      text = str(p.agent_type) ?? '';
      break;
    case 'SubagentStop':
      text = [str(p.agent_type), str(p.last_assistant_message) ? `said: "${str(p.last_assistant_message)}"` : undefined]
        .filter(Boolean)
        .join(' ');
      break;
    case 'PreCompact':
      text = str(p.trigger) ?? '';
      break;
    case 'Stop':
      text = str(p.last_assistant_message) ? `agent said: "${str(p.last_assistant_message)}"` : '';
      break;
    default: {
      const rest = Object.fromEntries(
        Object.entries(p).filter(
          ([k]) => !['session_id', 'transcript_path', 'cwd', 'permission_mode', 'hook_event_name'].includes(k),
        ),
      );
      text = Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
    }
  }
  return oneLine(text, WIDTH);
}
