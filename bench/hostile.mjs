#!/usr/bin/env node
// Feeds adversarial hook events through the real `runbook integrations claude hook` process, one process per
// event, and reports the slowest process and the largest peak RSS. Shapes: the ones known to have made
// redaction or the payload walk super-linear (long whitespace after a header name, a JWT-like prefix
// repeated, private-key headers without an end line, a million short strings, ten million `[]`), the same
// shapes grown to the input cap, and random events from a seeded generator built of the pieces detectors
// look for. Each event must be stored (one more line in the session file) and print nothing on stdout.
// Peak RSS and processor time are the child's own getrusage figures, reported at exit by a preloaded module
// (processor time does not grow with other load on the machine; wall time does).
// Bars: every process <= 2 s and <= 512 MB. Exits 1 when a bar is missed.
//
//   pnpm bench:hostile [--quick] [--seed 12] [--random 12] [--only <name-substring>]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, flag } from './lib.mjs';

const quick = flag('quick', false) === true;
const seed = Number(flag('seed', 12));
const randomCount = Number(flag('random', quick ? 4 : 12));
const only = flag('only', '');
const BAR_MS = 2000;
const BAR_MB = 512;
/** The hook's default input cap is 32 MiB; full mode grows shapes to just under it. */
const CAP_BYTES = 32 * 1024 * 1024 - 4096;
const KILL_MS = 120_000;

if (!existsSync(cli)) {
  console.error(
    `bench:hostile: ${path.relative(process.cwd(), cli)} is missing; run \`pnpm --filter @runbook/cli build\` first`,
  );
  process.exit(1);
}

const SESSION = 'b7d41f0e-93a2-4c55-8e1b-5f2a9c6d0e13';
const project = mkdtempSync(path.join(tmpdir(), 'runbook-bench-hostile-'));
mkdirSync(path.join(project, '.runbook'), { recursive: true });
const eventsFile = path.join(project, '.runbook/hooks/claude/sessions', SESSION, 'events.ndjson');
const preload = path.join(project, 'maxrss.cjs');
writeFileSync(
  preload,
  "process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeSync(2, '\\n__bench_maxrss_kb=' + u.maxRSS + ' cpu_us=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n",
);

/** A hook event whose tool output is `text`. */
function eventWith(text) {
  return `{"session_id":"${SESSION}","hook_event_name":"PostToolUse","cwd":${JSON.stringify(project)},"tool_name":"Bash","tool_input":{"command":"cat out.log"},"tool_response":{"stdout":${JSON.stringify(text)},"stderr":""}}`;
}
/** A hook event whose tool response is the raw JSON text `json`. */
function eventWithJson(json) {
  return `{"session_id":"${SESSION}","hook_event_name":"PostToolUse","cwd":${JSON.stringify(project)},"tool_name":"Bash","tool_input":{"command":"cat data.json"},"tool_response":${json}}`;
}
/** `piece` repeated to about `bytes` characters. */
const repeat = (piece, bytes) => piece.repeat(Math.max(1, Math.floor(bytes / piece.length)));
/** A JSON array of `count` copies of `item` (raw JSON text). */
const jsonArray = (item, count) => `[${`${item},`.repeat(count - 1)}${item}]`;

const KB = 1024;
const MB = 1024 * 1024;
// Built from parts so no file holds a whole token-shaped string.
const JWT_HEAD = ['ey', 'JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'].join('');
const PEM_HEAD = ['-----BEGIN RSA ', 'PRIVATE KEY-----\n'].join('');

/** The shapes from the hardening report, at the sizes it gave. */
const reported = [
  ['Authorization: + 100,000 spaces', () => eventWith(`Authorization:${' '.repeat(100_000)}x`)],
  ['JWT-like prefix repeated over 400 KB', () => eventWith(repeat(JWT_HEAD, 400 * KB))],
  ['JWT-like prefix and dot repeated over 400 KB', () => eventWith(repeat(`${JWT_HEAD}.`, 400 * KB))],
  ['3 MB of private-key headers, no end line', () => eventWith(repeat(PEM_HEAD, 3 * MB))],
  ['a million short strings', () => eventWithJson(jsonArray('"ab"', 1_000_000))],
  ['ten million []', () => eventWithJson(jsonArray('[]', 10_000_000))],
];

/** The same shapes and a few more, grown to the input cap. */
const atCap = [
  ['Authorization: + spaces, to the cap', () => eventWith(`Authorization:${' '.repeat(CAP_BYTES - 400)}x`)],
  ['Authorization: repeated, to the cap', () => eventWith(repeat('Authorization: ', CAP_BYTES - 400))],
  ['JWT-like prefix repeated, to the cap', () => eventWith(repeat(JWT_HEAD, CAP_BYTES - 400))],
  ['private-key headers, to the cap', () => eventWith(repeat(PEM_HEAD, (CAP_BYTES - 400) / 1.1))],
  ['password= repeated, to the cap', () => eventWith(repeat('password=', CAP_BYTES - 400))],
  ['github_pat_ repeated, to the cap', () => eventWith(repeat(['github', '_pat_'].join(''), CAP_BYTES - 400))],
  ['DB_PASSWORD=x lines, to the cap', () => eventWith(repeat('DB_PASSWORD=hunter2x\n', (CAP_BYTES - 400) / 1.1))],
  ['short strings, to the cap', () => eventWithJson(jsonArray('"ab"', Math.floor((CAP_BYTES - 400) / 5)))],
  ['[] to the cap', () => eventWithJson(jsonArray('[]', Math.floor((CAP_BYTES - 400) / 3)))],
  [
    '{"password":"x"} objects, to the cap',
    () => eventWithJson(jsonArray('{"password":"x1"}', Math.floor((CAP_BYTES - 400) / 18))),
  ],
  [
    'one long base64 line, to the cap',
    () => eventWith(repeat('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3', CAP_BYTES - 400)),
  ],
];

/** mulberry32: the same events for the same seed. */
function generator(s) {
  let state = s >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What detectors look for and what makes them search further: names, prefixes, separators, runs. */
const PIECES = [
  'Authorization',
  'authorization',
  'Bearer ',
  'Basic ',
  'token',
  'TOKEN',
  'password',
  'PASSWORD',
  'secret',
  'apiKey',
  'key',
  'AKIA',
  'ASIA',
  'eyJ',
  'ghp_',
  'github_pat_',
  'glpat-',
  'sk-',
  'sk-ant-',
  'xox',
  'hooks.slack.com/services/',
  'AIza',
  'npm_',
  '-----BEGIN ',
  'PRIVATE KEY-----',
  '-----END ',
  '://',
  'user:',
  '@',
  '-u ',
  '--password',
  '-p',
  'PGPASSWORD=',
  'AccountKey=',
  'sig=',
  'hvs.',
  '_auth',
  'name: DB_PASSWORD',
  'value: ',
  '"name":',
  '"value":',
  '${',
  '$',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '`',
  '\\',
  '\\"',
  ':',
  '=',
  ':=',
  '=>',
  ' ',
  '  ',
  '\t',
  '\n',
  ',',
  ';',
  '.',
  '/',
  '+',
  '-',
  '_',
  'a',
  'Z',
  '0',
  '9',
  'aB3dE5',
  'QUJD',
];

function randomEvent(next, bytes) {
  // A few pieces, each repeated: repetition is what turns a per-match cost into a quadratic one.
  const motif = Array.from(
    { length: 1 + Math.floor(next() * 6) },
    () => PIECES[Math.floor(next() * PIECES.length)],
  ).join('');
  const body = repeat(motif, bytes);
  return next() < 0.25
    ? eventWithJson(jsonArray(JSON.stringify(motif), Math.max(1, Math.floor(bytes / (motif.length + 3)))))
    : eventWith(body);
}

const next = generator(seed);
const random = Array.from({ length: randomCount }, (_, i) => {
  const bytes = Math.floor((quick ? 64 * KB : 256 * KB) * 2 ** Math.floor(next() * (quick ? 5 : 8)));
  const draw = generator(Math.floor(next() * 2 ** 32));
  return [`random #${i + 1} (seed ${seed})`, () => randomEvent(draw, bytes)];
});

const cases = [...reported, ...(quick ? [] : atCap), ...random].filter(([name]) => !only || name.includes(only));

function stored() {
  return existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).length : 0;
}

function runHook(input) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', preload, cli, 'integrations', 'claude', 'hook'], {
      cwd: project,
      env: { ...process.env, CLAUDE_PROJECT_DIR: project },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = /__bench_maxrss_kb=(\d+) cpu_us=(\d+)/.exec(stderr);
      resolve({
        ms,
        code,
        signal,
        stdout,
        mb: rss ? Number(rss[1]) / 1024 : NaN,
        cpuMs: rss ? Number(rss[2]) / 1000 : NaN,
        notes: stderr.replace(/\n?__bench_maxrss_kb=\d+ cpu_us=\d+\n/, '').trim(),
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

let worstMs = { ms: 0, name: '' };
let worstMb = { mb: 0, name: '' };
let worstCpu = { cpuMs: 0, name: '' };
let failures = 0;
console.log(
  `${quick ? 'quick' : 'full'} run, ${cases.length} events, seed ${seed}; bars: <= ${BAR_MS} ms and <= ${BAR_MB} MB per hook process`,
);
for (const [name, make] of cases) {
  const input = make();
  const before = stored();
  const r = await runHook(input);
  const kept = stored() - before;
  const problems = [];
  if (r.signal) problems.push(`killed by ${r.signal}`);
  else if (r.code !== 0) problems.push(`exit ${r.code}`);
  if (r.stdout.length > 0) problems.push('wrote to stdout');
  if (kept !== 1) problems.push(`${kept} events stored`);
  if (r.ms > BAR_MS) problems.push(`over ${BAR_MS} ms`);
  if (r.mb > BAR_MB) problems.push(`over ${BAR_MB} MB`);
  if (problems.length > 0) failures++;
  if (r.ms > worstMs.ms) worstMs = { ms: r.ms, name };
  if (r.mb > worstMb.mb) worstMb = { mb: r.mb, name };
  if (r.cpuMs > worstCpu.cpuMs) worstCpu = { cpuMs: r.cpuMs, name };
  const size = `${(Buffer.byteLength(input) / MB).toFixed(2)} MB`;
  console.log(
    `${problems.length ? 'FAIL' : 'ok  '} ${r.ms.toFixed(0).padStart(6)} ms (cpu ${r.cpuMs.toFixed(0).padStart(5)} ms) ${r.mb.toFixed(0).padStart(5)} MB  ${size.padStart(9)}  ${name}${problems.length ? `: ${problems.join(', ')}` : ''}`,
  );
  if (r.notes && flag('notes', false) === true) console.log(`       ${r.notes.split('\n').join('\n       ')}`);
}
rmSync(project, { recursive: true, force: true });
console.log(
  `slowest hook process: ${worstMs.ms.toFixed(0)} ms (${worstMs.name}); most processor time: ${worstCpu.cpuMs.toFixed(0)} ms (${worstCpu.name}); largest peak RSS: ${worstMb.mb.toFixed(0)} MB (${worstMb.name})`,
);
// Wall time counts whatever else the machine is doing; processor time (user + system, GC threads included) does not.
console.log(
  `load average: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(failures === 0 ? 'all within the bars' : `${failures} event(s) missed a bar`);
process.exit(failures === 0 ? 0 : 1);
