#!/usr/bin/env node
// Times the session viewer on a generated 10,000-event session (5,000 tool calls, some failing, a subagent):
// the first screen of `sessions serve`'s timeline page in headless Chromium (navigation start to the first
// rows drawn), and `sessions show --html` as a whole process. Bar: first screen <= 1 s. Exits 1 when missed.
//
//   pnpm bench:viewer [--events 10000] [--runs 3]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, flag, median, root } from './lib.mjs';

const eventCount = Number(flag('events', 10_000));
const runs = Number(flag('runs', 3));
const BAR_MS = 1000;
const chromiumPath = process.env.RUNBOOK_CHROMIUM ?? '/usr/bin/chromium';
const storageCore = path.join(root, 'packages/storage-core/dist/index.js');
for (const file of [cli, storageCore, chromiumPath]) {
  if (!existsSync(file)) {
    console.error(`bench:viewer: ${file} is missing (build first; Chromium: apt-get install -y chromium)`);
    process.exit(1);
  }
}
const { createRecord, serializeRecord } = await import(pathToFileURL(storageCore).href);
const { chromium } = createRequire(path.join(root, 'apps/cli/package.json'))('playwright-core');

const SESSION = 'b3c1d2e4-0f5a-4b6c-8d7e-9f0a1b2c3d4e';
const work = mkdtempSync(path.join(tmpdir(), 'runbook-bench-viewer-'));
const dir = path.join(work, '.runbook/hooks/claude/sessions', SESSION);
mkdirSync(dir, { recursive: true });
const start = Date.now() - 3 * 3600_000;
const lines = [];
for (let i = 0; i < eventCount; i++) {
  const call = Math.floor(i / 2);
  const pre = i % 2 === 0;
  const failed = !pre && call % 25 === 0;
  const command = `kubectl get pods -n billing-${call % 7} -o wide`;
  const payload = {
    session_id: SESSION,
    cwd: '/srv/billing',
    hook_event_name: pre ? 'PreToolUse' : failed ? 'PostToolUseFailure' : 'PostToolUse',
    tool_name: 'Bash',
    tool_use_id: `toolu_${call}`,
    tool_input: { command },
    ...(call % 40 === 0 ? { agent_id: 'a1b2c3' } : {}),
    ...(pre
      ? {}
      : failed
        ? { error: 'Exit code 1\nError from server (NotFound): pods not found' }
        : {
            tool_response: {
              stdout: 'NAME READY STATUS\nbilling-api-7d9f 1/1 Running\n'.repeat(3),
              stderr: '',
              interrupted: false,
            },
          }),
  };
  lines.push(
    serializeRecord(
      createRecord({
        sessionId: SESSION,
        eventName: payload.hook_event_name,
        cwd: '/srv/billing',
        payload,
        observedAt: new Date(start + i * 900),
      }),
    ),
  );
}
writeFileSync(path.join(dir, 'events.ndjson'), lines.join(''));

const htmlTimes = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [cli, 'integrations', 'claude', 'sessions', 'show', SESSION, '--html', '--project-dir', work],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  htmlTimes.push(performance.now() - t);
  if (r.status !== 0) throw new Error(r.stderr);
  if (i === 0) writeFileSync(path.join(work, 'session.html'), r.stdout);
}

const server = spawn(process.execPath, [cli, 'integrations', 'claude', 'sessions', 'serve', '--project-dir', work], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
    if (m) resolve(m[0]);
  });
});
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(url);
await page.waitForSelector('body[data-ready="true"]');
const base = new URL(url).origin;
const firstScreen = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await page.goto(`${base}/session/${SESSION}`);
  await page.waitForSelector('body[data-ready="true"] .row');
  firstScreen.push(performance.now() - t);
  await page.waitForSelector('body[data-complete="true"]', { timeout: 60_000 });
}
const fileScreen = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await page.goto(pathToFileURL(path.join(work, 'session.html')).href);
  await page.waitForSelector('body[data-ready="true"] .row');
  fileScreen.push(performance.now() - t);
}
await browser.close();
server.kill('SIGTERM');
if (flag('keep', false) === true) console.log(`  kept: ${work}`);
else rmSync(work, { recursive: true, force: true });
const served = median(firstScreen);
console.log(
  `bench:viewer: ${eventCount.toLocaleString('en')}-event session (${(lines.join('').length / 1e6).toFixed(1)} MB stored)`,
);
console.log(
  `  served timeline, first screen (request to first rows drawn), median of ${runs}: ${Math.round(served)} ms (bar <= ${BAR_MS} ms) ${served <= BAR_MS ? 'ok' : 'MISSED'}`,
);
console.log(`  --html file, first screen in the browser, median of ${runs}: ${Math.round(median(fileScreen))} ms`);
console.log(`  sessions show --html, whole process, median of ${runs}: ${Math.round(median(htmlTimes))} ms`);
process.exit(served <= BAR_MS ? 0 : 1);
