import { commandFirstLine } from './command-kinds.js';
import { integerField, stringField, type ToolPayload } from './payload.js';
import { brief, code, displayPath } from './text.js';

export interface ToolSummary {
  /** What the call did, without its outcome: ``Ran `kubectl get pods` ``, `Read config.yaml`. */
  action: string;
  command?: string;
  filePath?: string;
}

/** Describe a tool call from its name and input. */
export function describeToolCall(tool: ToolPayload, cwd: string): ToolSummary {
  const input = tool.input;
  const file = stringField(input, 'file_path') ?? stringField(input, 'notebook_path') ?? stringField(input, 'path');
  const shown = file ? displayPath(file, cwd) : undefined;
  switch (tool.toolName) {
    case 'Bash':
    case 'BashOutput':
    case 'PowerShell': {
      const command = stringField(input, 'command')?.trim();
      if (!command) return { action: `Used ${tool.toolName}` };
      return { action: `Ran ${code(brief(commandFirstLine(command), 200))}`, command };
    }
    case 'Read':
      return { action: `Read ${shown ?? 'a file'}`, filePath: shown };
    case 'Edit':
    case 'MultiEdit':
      return { action: `Edited ${shown ?? 'a file'}`, filePath: shown };
    case 'Write':
      return { action: `Wrote ${shown ?? 'a file'}`, filePath: shown };
    case 'NotebookEdit':
      return { action: `Edited notebook ${shown ?? ''}`.trim(), filePath: shown };
    case 'Grep': {
      const pattern = stringField(input, 'pattern') ?? '';
      const where = shown && shown !== cwd ? ` in ${shown === '' ? '.' : shown}` : '';
      const count = integerField(tool.response, 'numFiles');
      const found = count === undefined ? '' : ` (${count} ${count === 1 ? 'file' : 'files'})`;
      return { action: `Searched for "${brief(pattern, 80)}"${where}${found}` };
    }
    case 'Glob':
      return { action: `Listed files matching "${brief(stringField(input, 'pattern') ?? '', 80)}"` };
    case 'WebFetch':
      return { action: `Fetched ${brief(stringField(input, 'url') ?? 'a URL', 160)}` };
    case 'WebSearch':
      return { action: `Searched the web for "${brief(stringField(input, 'query') ?? '', 120)}"` };
    case 'Task':
    case 'Agent':
      return {
        action: `Delegated to a subagent: ${brief(stringField(input, 'description') ?? stringField(input, 'prompt') ?? 'task', 120)}`,
      };
    case 'TodoWrite':
      return { action: 'Updated the task list' };
    default: {
      const mcp = /^mcp__(.+?)__(.+)$/.exec(tool.toolName);
      if (mcp) return { action: `Called ${mcp[1]} tool ${mcp[2]}` };
      return { action: `Used ${brief(tool.toolName, 60)}`, filePath: shown };
    }
  }
}

/** A readable text for whatever a tool returned as its error. */
export function responseErrorText(response: unknown): string | undefined {
  if (typeof response === 'string') return response;
  const error = stringField(response, 'error') ?? stringField(response, 'message');
  if (error) return error;
  const content = (response as { content?: unknown } | undefined)?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const text = content
      .map((c) => stringField(c, 'text'))
      .filter(Boolean)
      .join('\n');
    return text || undefined;
  }
  return undefined;
}
