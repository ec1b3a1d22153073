import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
import { CLI, hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

const SESSION = '5b1f7c2e-9d4a-4e61-8c3b-2a7f0e9d4c18';
const SHOTS = path.resolve(__dirname, '../../../.test-results/viewer');
let project: TempProject;
let browser: Browser;
let server: ChildProcess;
let url: string;

/** An incident as Claude Code reports it: prompt, a failing rollout check, a subagent's look, compaction, the fix, verification. */
async function incident(dir: string): Promise<void> {
  const bash = (id: string, command: string) => ({
    tool_name: 'Bash',
    tool_use_id: id,
    tool_input: { command, description: command },
  });
  const events = [
    hookEvent(SESSION, 'SessionStart', { source: 'startup' }),
    hookEvent(SESSION, 'UserPromptSubmit', { prompt: 'billing-api is returning 502s in staging, find out why' }),
    hookEvent(SESSION, 'PreToolUse', bash('toolu_01', 'kubectl rollout status deploy/billing-api -n staging')),
    hookEvent(SESSION, 'PostToolUseFailure', {
      ...bash('toolu_01', 'kubectl rollout status deploy/billing-api -n staging'),
      error: 'Exit code 1\nerror: deployment "billing-api" exceeded its progress deadline',
    }),
    hookEvent(SESSION, 'PreToolUse', {
      tool_name: 'Task',
      tool_use_id: 'toolu_02',
      tool_input: { description: 'inspect pod logs', prompt: 'read the crashing pod logs' },
    }),
    hookEvent(SESSION, 'PreToolUse', {
      ...bash('toolu_03', 'kubectl logs deploy/billing-api -n staging --tail 50'),
      agent_id: 'a7c91e',
      agent_type: 'general-purpose',
    }),
    hookEvent(SESSION, 'PostToolUse', {
      ...bash('toolu_03', 'kubectl logs deploy/billing-api -n staging --tail 50'),
      agent_id: 'a7c91e',
      agent_type: 'general-purpose',
      tool_response: {
        stdout: 'Error: STRIPE_API_KEY=sk_live_51HqLyjWDarjtT1zdp7dcXnkt0123456789abcdefABCDEF is invalid',
        stderr: '',
        interrupted: false,
      },
    }),
    hookEvent(SESSION, 'SubagentStop', {
      agent_id: 'a7c91e',
      last_assistant_message: 'The pods crash on start: the Stripe key secret was rotated.',
    }),
    hookEvent(SESSION, 'PostToolUse', {
      tool_name: 'Task',
      tool_use_id: 'toolu_02',
      tool_input: { description: 'inspect pod logs' },
      tool_response: { content: 'pods crash: rotated secret' },
    }),
    hookEvent(SESSION, 'PreCompact', { trigger: 'auto' }),
    hookEvent(SESSION, 'PreToolUse', bash('toolu_04', 'kubectl rollout restart deploy/billing-api -n staging')),
    hookEvent(SESSION, 'PostToolUse', {
      ...bash('toolu_04', 'kubectl rollout restart deploy/billing-api -n staging'),
      tool_response: { stdout: 'deployment.apps/billing-api restarted', stderr: '', interrupted: false },
    }),
    hookEvent(SESSION, 'Stop', {
      stop_hook_active: false,
      last_assistant_message: 'Restarted billing-api after the secret rotation; rollout is healthy.',
    }),
  ];
  for (const event of events) expect((await runHook(dir, event)).code).toBe(0);
}

function get(
  port: number,
  pathname: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  project = tempProject('runbook-viewer-');
  await incident(project.dir);
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  server = spawn(process.execPath, [CLI, 'integrations', 'claude', 'sessions', 'serve', '--project-dir', project.dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
      if (found) resolve(found[0]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}, 180_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await browser?.close();
  project?.cleanup();
});

test('the list shows the session; its timeline shows the failing step in red with its error; keys move and open steps', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  const row = page.locator('#sessions tr', { hasText: SESSION });
  await expect(row.count()).resolves.toBe(1);
  expect(await row.locator('td.failed').textContent()).toBe('1');
  await page.screenshot({ path: path.join(SHOTS, 'list.png') });

  await row.locator('a').click();
  await page.waitForSelector('body[data-ready="true"]');
  const failed = page.locator('.row[data-status="failed"]');
  expect(await failed.count()).toBe(1);
  expect(await failed.locator('.error').textContent()).toContain('exceeded its progress deadline');
  const color = await failed
    .locator('.label')
    .evaluate(
      (el) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { color: string; fill: string } }).getComputedStyle(
          el,
        ).color,
    );
  expect(color).toBe('rgb(198, 40, 40)');
  expect(
    await failed
      .locator('rect')
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { color: string; fill: string } }).getComputedStyle(
            el,
          ).fill,
      ),
  ).toBe('rgb(198, 40, 40)');
  // Subagent lane, compaction and the redaction marker are visible as such.
  expect(await page.locator('.row .lane.sub').first().textContent()).toBe('a7c91e');
  expect(await page.locator('.row.k-compaction').count()).toBe(1);

  await page.screenshot({ path: path.join(SHOTS, 'timeline-rows.png') });
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  expect(await page.locator('.row.selected').getAttribute('data-index')).toBe('2');
  await page.keyboard.press('k');
  expect(await page.locator('.row.selected').getAttribute('data-index')).toBe('1');
  await page.keyboard.press('f');
  expect(await page.locator('.row.selected').getAttribute('data-status')).toBe('failed');
  await page.keyboard.press('Enter');
  // The served viewer fetches a step's payloads (redacted) when it is opened.
  await page.waitForSelector('#detail:not([hidden]) #detail-body pre.payload');
  expect(await page.locator('#detail-body').textContent()).toContain('PostToolUseFailure');

  await page.keyboard.press('Escape');
  await page.locator('.row', { hasText: 'kubectl logs' }).click();
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document
        .querySelector('#detail-body h2')
        ?.textContent.includes('kubectl logs') === true,
  );
  await page.waitForSelector('#detail:not([hidden]) #detail-body pre.payload');
  const detail = await page.locator('#detail-body').textContent();
  expect(detail).toContain('[REDACTED:');
  expect(detail).not.toContain('sk_live_51HqLyj');
  expect(await page.locator('#detail-body .redacted').count()).toBeGreaterThan(0);
  const shot = await page.screenshot({ path: path.join(SHOTS, 'timeline.png') });
  // A blank page compresses to a few KB; a drawn timeline does not.
  expect(shot.length).toBeGreaterThan(20_000);
  await page.close();
}, 180_000);

test('the token and the Host header are checked; nothing but GET is answered', async () => {
  const { port, searchParams } = new URL(url);
  const p = Number(port);
  const good = { Host: `127.0.0.1:${p}` };
  expect((await get(p, '/', good)).status).toBe(403);
  expect((await get(p, '/api/sessions', good)).status).toBe(403);
  expect((await get(p, '/?token=0000', good)).status).toBe(403);
  const withToken = await get(p, `/?token=${searchParams.get('token')}`, good);
  expect(withToken.status).toBe(303);
  const cookie = `runbook_viewer=${searchParams.get('token')}`;
  expect((await get(p, '/api/sessions', { ...good, Cookie: cookie })).status).toBe(200);
  // DNS rebinding: the right token, but a page of another origin resolving to 127.0.0.1.
  expect((await get(p, '/api/sessions', { Host: `evil.example:${p}`, Cookie: cookie })).status).toBe(421);
  expect((await get(p, '/api/sessions', { Host: 'localhost', Cookie: cookie })).status).toBe(421);
  expect((await get(p, `/session/${SESSION}/learn`, { ...good, Cookie: cookie })).status).toBe(200);
});

test('sessions show --html is one self-contained file that renders offline', async () => {
  const result = await runCli(['integrations', 'claude', 'sessions', 'show', SESSION, '--html'], {
    cwd: project.dir,
    env: { CLAUDE_PROJECT_DIR: project.dir },
  });
  expect(result.code).toBe(0);
  expect(result.stdout).not.toMatch(/<(link|img|iframe)\b|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  expect(result.stdout).not.toContain('sk_live_51HqLyj');
  const file = path.join(project.dir, 'session.html');
  writeFileSync(file, result.stdout);
  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]');
  expect(await page.locator('.row[data-status="failed"] .error').textContent()).toContain('progress deadline');
  const shot = await page.screenshot({ path: path.join(SHOTS, 'file.png') });
  expect(shot.length).toBeGreaterThan(20_000);
  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);
