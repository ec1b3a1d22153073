import { describeError } from '@runbook/storage-core';
import * as z from 'zod';
import type { DraftInput, DraftResult, LearningDrafter } from './drafter.js';
import { learningDraftSchema, validateDraft, type LearningDraft } from './draft-schema.js';
import { keyEventText, keyEvents } from './key-events.js';
import { draftOffline } from './offline-drafter.js';
import { brief } from './text.js';

export interface AnthropicDrafterOptions {
  model: string;
  apiKey: string;
  /** Messages API base URL; defaults to the SDK's (or `ANTHROPIC_BASE_URL`). */
  baseURL?: string;
  maxTokens?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Most timeline events sent to the model. */
  maxEvents?: number;
}

const TOOL_NAME = 'submit_learning';

const SYSTEM_PROMPT = [
  'You write incident postmortems and runbook knowledge from the recorded evidence of one agent session.',
  'Rules:',
  '- Use only the evidence given. Never invent services, people, numbers, causes or times.',
  '- Where the evidence does not say, write "unknown" (severity: "unknown").',
  '- Every postmortem.timeline[].at must be copied exactly from an event time in the timeline given.',
  '- Keep redaction markers such as [REDACTED:github-token] exactly as they are; never guess what they hide.',
  '- investigation.statements are what the agents said (e.g. their closing message): quote them with who said them; never state them as fact on their own.',
  '- knowledgeSuggestions: update_runbook targets must name one of the runbooks given (file name); new_runbook markdown is a whole runbook with YAML frontmatter (title, services); new_known_issue markdown describes the error signature, the symptoms and the fix.',
  `- Answer by calling the ${TOOL_NAME} tool once with the complete object.`,
].join('\n');

function toolInputSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(learningDraftSchema) as Record<string, unknown>;
  delete schema.$schema;
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (obj.format === 'date-time') delete obj.pattern;
      Object.values(obj).forEach(strip);
    }
  };
  strip(schema);
  return schema;
}

function evidenceMessage(input: DraftInput, offline: LearningDraft, maxEvents: number): string {
  const events = keyEvents(input.timeline.events, input.investigation, maxEvents);
  const timeline = events.map((e) => `${e.at} | ${e.phase} | ${brief(keyEventText(e), 400)}`).join('\n');
  const runbooks = input.runbooks.map((r) => ({ file: r.name, title: r.title, services: r.services }));
  return [
    '## Investigation (synthesized from the session)',
    JSON.stringify(input.investigation, null, 1),
    '',
    `## Timeline (${events.length} of ${input.timeline.events.length} events; times are real)`,
    timeline,
    '',
    '## Local runbooks',
    runbooks.length > 0 ? JSON.stringify(runbooks, null, 1) : '(none)',
    '',
    '## A deterministic draft built from the same evidence (improve it; keep what is right)',
    JSON.stringify(offline, null, 1),
  ].join('\n');
}

interface ContentBlock {
  type: string;
  id?: string;
  name?: string;
  input?: unknown;
  text?: string;
}

/** The draft object in a response: the tool call's input, or JSON in a text block. */
function extractCandidate(content: ContentBlock[]): { value: unknown; toolUseId?: string } | undefined {
  const call = content.find((b) => b.type === 'tool_use' && b.name === TOOL_NAME);
  if (call) return { value: call.input, toolUseId: call.id };
  const text = content
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text)
    .join('\n')
    .trim();
  if (!text) return undefined;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1] ?? text;
  const start = fenced.indexOf('{');
  const end = fenced.lastIndexOf('}');
  if (start === -1 || end <= start) return { value: undefined };
  try {
    return { value: JSON.parse(fenced.slice(start, end + 1)) as unknown };
  } catch {
    return { value: undefined };
  }
}

type MessageParam = { role: 'user' | 'assistant'; content: unknown };

/**
 * A drafter backed by the Anthropic Messages API (SDK loaded only when used). Output is validated;
 * invalid output gets one repair round trip, after which the offline draft is used with a note.
 */
export function createAnthropicDrafter(options: AnthropicDrafterOptions): LearningDrafter {
  const name = `anthropic:${options.model}`;
  return {
    name,
    async draft(input: DraftInput): Promise<DraftResult> {
      const offline = draftOffline(input);
      const fallback = (why: string): DraftResult => ({
        draft: offline,
        drafter: 'offline',
        notes: [`${why}; used the offline draft instead`],
      });
      const sessionTimes = new Set(input.timeline.events.map((e) => e.at));
      let client: { messages: { create(body: Record<string, unknown>): Promise<{ content: ContentBlock[] }> } };
      try {
        const { default: Anthropic } = await import('@anthropic-ai/sdk');
        client = new Anthropic({
          apiKey: options.apiKey,
          ...(options.baseURL ? { baseURL: options.baseURL } : {}),
          timeout: options.timeoutMs ?? 120_000,
          maxRetries: options.maxRetries ?? 2,
          logLevel: 'off',
        }) as unknown as typeof client;
      } catch (error) {
        return fallback(`Anthropic SDK could not be loaded (${describeError(error)})`);
      }
      const request = {
        model: options.model,
        max_tokens: options.maxTokens ?? 8192,
        system: SYSTEM_PROMPT,
        tools: [
          {
            name: TOOL_NAME,
            description: 'Submit the postmortem and knowledge suggestions.',
            input_schema: toolInputSchema(),
          },
        ],
        tool_choice: { type: 'tool', name: TOOL_NAME },
      };
      const messages: MessageParam[] = [
        { role: 'user', content: evidenceMessage(input, offline, options.maxEvents ?? 150) },
      ];
      let problems: string[] = [];
      for (let attempt = 0; attempt < 2; attempt++) {
        let content: ContentBlock[];
        try {
          content = (await client.messages.create({ ...request, messages })).content ?? [];
        } catch (error) {
          return fallback(`Anthropic request failed (${describeError(error)})`);
        }
        const candidate = extractCandidate(content);
        const result =
          candidate?.value === undefined
            ? { ok: false as const, problems: ['the response held no draft object'] }
            : validateDraft(candidate.value, sessionTimes);
        if (result.ok) {
          return {
            draft: result.draft,
            drafter: name,
            notes:
              attempt === 0
                ? []
                : [`the first ${name} draft failed validation (${problems[0]}); the repaired draft passed`],
          };
        }
        problems = result.problems;
        const feedback = `The draft failed validation:\n${problems.map((p) => `- ${p}`).join('\n')}\nCall ${TOOL_NAME} again with the complete, corrected object.`;
        messages.push({ role: 'assistant', content });
        messages.push({
          role: 'user',
          content: candidate?.toolUseId
            ? [{ type: 'tool_result', tool_use_id: candidate.toolUseId, is_error: true, content: feedback }]
            : feedback,
        });
      }
      return fallback(`${name} output failed validation twice (${problems[0] ?? 'invalid'})`);
    },
  };
}
