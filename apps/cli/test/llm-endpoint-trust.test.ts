import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  errorReply,
  startMessagesServer,
  type MessagesServer,
} from '../../../packages/learning-bridge/test/messages-server.js';
import { createRecord, serializeRecord, type HookPayload } from '@runbook/storage-core';
import { runCli, tempProject, type TempProject } from './helpers/cli.js';

// Where `learn` sends ANTHROPIC_API_KEY and the session is the user's choice: a committed project config
// naming another endpoint is refused before anything is sent.

const EXAMPLE = fileURLToPath(new URL('../examples/oncall-session.jsonl', import.meta.url));
const SESSION = '3f6c2b1e-8a47-4d2f-9b3e-5c1d7a9e4f20';
const LEARN = ['integrations', 'claude', 'learn', SESSION];

let project: TempProject;
let home: string;
let server: MessagesServer;

beforeEach(async () => {
  project = tempProject('runbook-llm-trust-');
  home = mkdtempSync(path.join(tmpdir(), 'runbook-llm-home-'));
  // Every request is answered with an error, so a drafter that reached it falls back to offline: the
  // request count is what tells whether the key and the session were sent.
  server = await startMessagesServer([errorReply(400, 'invalid_request_error', 'loopback')]);
  const records = readFileSync(EXAMPLE, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      const payload = JSON.parse(line) as HookPayload;
      return createRecord({
        sessionId: SESSION,
        eventName: String(payload.hook_event_name),
        payload,
        observedAt: new Date(Date.parse('2026-11-25T14:20:00Z') + i * 15_000),
      });
    });
  const file = path.join(project.dir, '.runbook/hooks/claude/sessions', SESSION, 'events.ndjson');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, records.map(serializeRecord).join(''));
});
afterEach(async () => {
  await server.close();
  project.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const anthropic = (extra = '') => `llm:\n  provider: anthropic\n  model: claude-test\n${extra}`;
const learn = (env: NodeJS.ProcessEnv = {}) =>
  runCli(LEARN, {
    cwd: project.dir,
    env: { ANTHROPIC_API_KEY: 'sk-ant-secret', ANTHROPIC_BASE_URL: '', HOME: home, ...env },
  });

test('a project config naming another endpoint is refused with one line; nothing is sent or written', async () => {
  project.config(anthropic(`  baseUrl: ${server.baseURL}\n`));
  const result = await learn();
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(
    `runbook: ${path.join(project.dir, '.runbook/config.yaml')}: llm.baseUrl: a project's config cannot send the API key and sessions to ${server.baseURL}; to use that endpoint, set llm.baseUrl in ${path.join(home, '.runbook/config.yaml')} or ANTHROPIC_BASE_URL\n`,
  );
  expect(server.requests).toHaveLength(0);
  expect(existsSync(path.join(project.dir, '.runbook/learning'))).toBe(false);
});

test('the default endpoint written in the project config is fine', async () => {
  project.config(anthropic('  baseUrl: https://api.anthropic.com/\n'));
  // Pointed at the loopback server by the user's environment, which wins.
  const result = await learn({ ANTHROPIC_BASE_URL: server.baseURL });
  expect(result.code, result.stderr).toBe(0);
  expect(server.requests.length).toBeGreaterThan(0);
});

test('the endpoint from ANTHROPIC_BASE_URL is used', async () => {
  project.config(anthropic());
  const result = await learn({ ANTHROPIC_BASE_URL: server.baseURL });
  expect(result.code, result.stderr).toBe(0);
  expect(server.requests.length).toBeGreaterThan(0);
});

test('the endpoint from ~/.runbook/config.yaml is used, and the project may repeat it', async () => {
  mkdirSync(path.join(home, '.runbook'), { recursive: true });
  writeFileSync(path.join(home, '.runbook', 'config.yaml'), `llm:\n  baseUrl: ${server.baseURL}\n`);
  project.config(anthropic(`  baseUrl: ${server.baseURL}/\n`));
  const result = await learn();
  expect(result.code, result.stderr).toBe(0);
  expect(server.requests.length).toBeGreaterThan(0);
});

test('a user endpoint that is not a URL is a config error naming the user file', async () => {
  mkdirSync(path.join(home, '.runbook'), { recursive: true });
  writeFileSync(path.join(home, '.runbook', 'config.yaml'), 'llm:\n  baseUrl: localhost:8080\n');
  project.config(anthropic());
  const result = await learn();
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(
    `runbook: ${path.join(home, '.runbook/config.yaml')}: llm.baseUrl: must be an http(s) URL\n`,
  );
  expect(server.requests).toHaveLength(0);
});
