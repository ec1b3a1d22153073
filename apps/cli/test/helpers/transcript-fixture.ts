import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Transcripts in Claude Code's on-disk shape (`~/.claude/projects/<project folder>/<session id>.jsonl`):
 * one JSON object per line, `type` user / assistant / system / summary / file-history-snapshot, linked by
 * `uuid` and `parentUuid`, content blocks text / thinking / tool_use / tool_result / image, subagent work as
 * `isSidechain` entries in `<session id>/subagents/agent-<id>.jsonl`, and a compaction (a `compact_boundary`
 * system entry followed by an `isCompactSummary` user entry).
 */
export interface ClaudeHome {
  /** `CLAUDE_CONFIG_DIR`. */
  configDir: string;
  /** This project's transcript folder. */
  folder: string;
}

export function claudeHome(root: string, projectDir: string): ClaudeHome {
  const configDir = path.join(root, 'claude-config');
  const folder = path.join(configDir, 'projects', path.resolve(projectDir).replace(/[^A-Za-z0-9]/g, '-'));
  mkdirSync(folder, { recursive: true });
  return { configDir, folder };
}

/** A 1×1 PNG, as Claude Code stores pasted images. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export class TranscriptWriter {
  private last: string | null = null;
  private n = 0;
  private time = Date.parse('2026-11-20T09:00:00.000Z');

  constructor(
    readonly sessionId: string,
    readonly file: string,
    private readonly cwd: string,
    private readonly sidechain = false,
    private readonly agentId?: string,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  private base(type: string): Record<string, unknown> {
    this.n += 1;
    this.time += 1500;
    const uuid = `${this.sessionId.slice(0, 8)}-${this.agentId ?? 'main'}-${String(this.n).padStart(6, '0')}`;
    const entry: Record<string, unknown> = {
      parentUuid: this.last,
      isSidechain: this.sidechain,
      userType: 'external',
      cwd: this.cwd,
      sessionId: this.sessionId,
      version: '2.1.40',
      gitBranch: 'main',
      ...(this.agentId ? { agentId: this.agentId } : {}),
      type,
      uuid,
      timestamp: new Date(this.time).toISOString(),
    };
    this.last = uuid;
    return entry;
  }

  /** Append raw lines (each a JSON object) and return them as written. */
  write(...entries: Record<string, unknown>[]): string {
    const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    appendFileSync(this.file, text);
    return text;
  }

  summary(text: string): Record<string, unknown> {
    return { type: 'summary', summary: text, leafUuid: this.last ?? 'none' };
  }

  snapshot(): Record<string, unknown> {
    return {
      type: 'file-history-snapshot',
      messageId: `msg-${this.n}`,
      snapshot: {
        messageId: `msg-${this.n}`,
        trackedFileBackups: {
          'src/app.ts': { backupFileName: 'a1b2c3@v1', version: 1, backupTime: new Date(this.time).toISOString() },
        },
        timestamp: new Date(this.time).toISOString(),
      },
      isSnapshotUpdate: false,
    };
  }

  prompt(text: string): Record<string, unknown> {
    return { ...this.base('user'), message: { role: 'user', content: text } };
  }

  image(caption: string): Record<string, unknown> {
    return {
      ...this.base('user'),
      message: {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
          { type: 'text', text: caption },
        ],
      },
    };
  }

  assistant(blocks: Array<Record<string, unknown>>): Record<string, unknown> {
    return {
      ...this.base('assistant'),
      requestId: `req_${this.n}`,
      message: {
        id: `msg_${this.n}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: blocks,
        stop_reason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
        usage: { input_tokens: 1200, output_tokens: 240, cache_read_input_tokens: 800 },
      },
    };
  }

  thinking(text: string): Record<string, unknown> {
    return { type: 'thinking', thinking: text, signature: 'EuYBCkQYAiJA' };
  }

  text(text: string): Record<string, unknown> {
    return { type: 'text', text };
  }

  toolUse(id: string, name: string, input: Record<string, unknown>): Record<string, unknown> {
    return { type: 'tool_use', id, name, input };
  }

  toolResult(id: string, content: string, isError = false): Record<string, unknown> {
    return {
      ...this.base('user'),
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content, is_error: isError }] },
      toolUseResult: { stdout: content, stderr: '', interrupted: false },
    };
  }

  compaction(summary: string): Record<string, unknown>[] {
    const boundary = {
      ...this.base('system'),
      parentUuid: null,
      logicalParentUuid: this.last,
      subtype: 'compact_boundary',
      content: 'Conversation compacted',
      level: 'info',
      isMeta: false,
      compactMetadata: { trigger: 'auto', preTokens: 155210 },
    };
    const next = {
      ...this.base('user'),
      isCompactSummary: true,
      isVisibleInTranscriptOnly: true,
      message: { role: 'user', content: summary },
    };
    return [boundary, next];
  }
}

/** A realistic on-call session: prompt, reasoning, tool calls, an image, a correction, a subagent, a compaction. */
export function writeIncidentSession(
  home: ClaudeHome,
  sessionId: string,
  cwd: string,
): { main: TranscriptWriter; agent: TranscriptWriter; mainText: string; agentText: string } {
  const mainFile = path.join(home.folder, `${sessionId}.jsonl`);
  const main = new TranscriptWriter(sessionId, mainFile, cwd);
  const agent = new TranscriptWriter(
    sessionId,
    path.join(home.folder, sessionId, 'subagents', 'agent-a3f9c21.jsonl'),
    cwd,
    true,
    'a3f9c21',
  );
  let mainText = '';
  let agentText = '';
  mainText += main.write(main.snapshot());
  mainText += main.write(main.prompt('payments-api is returning 502s since the 09:40 deploy, find out why'));
  mainText += main.write(
    main.assistant([
      main.thinking('The deploy changed the connection pool; check the logs first.'),
      main.text('I will look at the recent logs of payments-api.'),
      main.toolUse('toolu_01', 'Bash', {
        command: 'kubectl -n payments logs deploy/payments-api --tail=50',
        description: 'Recent logs',
      }),
    ]),
  );
  mainText += main.write(
    main.toolResult('toolu_01', 'level=error msg="upstream timeout" route=/charge pool=exhausted\n'.repeat(3)),
  );
  mainText += main.write(main.image('the Grafana panel of 502s'));
  mainText += main.write(
    main.assistant([
      main.text(
        'The root cause is the database connection pool: the deploy lowered max_connections from 50 to 5, so requests time out waiting for a connection.',
      ),
      main.toolUse('toolu_02', 'Task', {
        description: 'Check pool settings',
        prompt: 'Find where max_connections is set',
        subagent_type: 'general-purpose',
      }),
    ]),
  );
  agentText += agent.write(agent.prompt('Find where max_connections is set'));
  agentText += agent.write(
    agent.assistant([
      agent.thinking('grep the helm values'),
      agent.toolUse('toolu_a1', 'Grep', { pattern: 'max_connections', path: 'deploy/' }),
    ]),
  );
  agentText += agent.write(agent.toolResult('toolu_a1', 'deploy/values.yaml:12:  max_connections: 5'));
  agentText += agent.write(
    agent.assistant([agent.text('Found it: deploy/values.yaml sets max_connections: 5 since commit 8f2e1d0.')]),
  );
  mainText += main.write(
    main.toolResult('toolu_02', 'deploy/values.yaml sets max_connections: 5 since commit 8f2e1d0.'),
  );
  mainText += main.write(main.prompt('No, do not restart the pods — roll back the values change instead.'));
  mainText += main.write(
    ...main.compaction(
      'Summary: payments-api 502s traced to max_connections lowered to 5 in deploy/values.yaml; user asked to roll back the values change rather than restart pods.',
    ),
  );
  mainText += main.write(
    main.assistant([
      main.text(
        'Fix: I reverted max_connections to 50 in deploy/values.yaml and rolled the deployment; 502s stopped at 10:12.',
      ),
      main.toolUse('toolu_03', 'Bash', { command: 'helm rollback payments 41' }),
    ]),
  );
  mainText += main.write(main.toolResult('toolu_03', 'Rollback was a success! Happy Helming!'));
  mainText += main.write(main.summary('payments-api 502s after deploy: connection pool too small'));
  return { main, agent, mainText, agentText };
}

export function writeSettings(home: ClaudeHome, settings: Record<string, unknown>): void {
  writeFileSync(path.join(home.configDir, 'settings.json'), JSON.stringify(settings));
}
