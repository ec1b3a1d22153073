import { brief, oneLine } from './text.js';

/** A notable line of tool output: an error, a crash, a failing state. */
export interface OutputSignal {
  text: string;
  /** 3 = fatal/panic, 2 = error/crash state, 1 = warning-level. */
  weight: 1 | 2 | 3;
}

const FATAL = /\b(fatal|panic|panicked|segmentation fault|core dumped|out of memory|oomkilled)\b/i;
const ERROR =
  /\b(\w+(?:Error|Exception)\b|error|errors|exception|traceback|failed|failure|not permitted|could not|unable to|cannot|crashloopbackoff|imagepullbackoff|errimagepull|createcontainerconfigerror|evicted|refused|denied|forbidden|unauthorized|timed? ?out|timeout|unreachable|unavailable|5\d\d (internal|bad gateway|service unavailable|gateway timeout))\b/i;
const WARNING = /\b(warn|warning|back-?off|deprecated|retrying|throttl\w*|degraded|unhealthy|not ready|pending)\b/i;
const NOISE = /^\s*(type\s+reason\s+age|name\s+ready\s+status|-{3,})/i;
/**
 * Words every telling line contains (JSON log lines included: their level field matches). Grouped by first
 * letter, which the regex engine scans about twice as fast as a flat alternation.
 */
const ANY =
  /f(?:atal|ail|orbidden)|p(?:anic|ending)|segmentation|c(?:ore dump|rashloop|rit|ould not|annot)|n(?:ot permitted|ot ready)|o(?:ut of memory|om)|e(?:rror|xception|rrimage|victed|merg)|t(?:raceback|ime[sd]? ?out|hrottl)|back-?off|r(?:efused|etrying)|d(?:enied|eprecated|egraded)|un(?:able to|authorized|reachable|available|healthy)|warn|alert|5\d\d /gi;

const MAX_SCAN = 128 * 1024;
const MAX_PER_OUTPUT = 4;
const MAX_LINE = 1000;
/** Lines looked at closely per output; enough for any real log excerpt, bounded for pathological ones. */
const MAX_CANDIDATES = 1000;

function jsonLogLine(line: string): { text: string; level?: string } | undefined {
  if (!line.startsWith('{') || !line.endsWith('}')) return undefined;
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const message = [value.msg, value.message, value.error, value.err].find(
      (m): m is string => typeof m === 'string' && m.length > 0,
    );
    if (!message) return undefined;
    const level = [value.level, value.severity, value.lvl].find((l): l is string => typeof l === 'string');
    return { text: level ? `${level}: ${message}` : message, level: level?.toLowerCase() };
  } catch {
    return undefined;
  }
}

function weigh(text: string, level?: string): OutputSignal['weight'] | 0 {
  if (level) {
    if (/^(fatal|panic|critical|crit|emerg|alert)$/.test(level)) return 3;
    if (/^(error|err)$/.test(level)) return 2;
    if (/^(warn|warning)$/.test(level)) return 1;
    return 0;
  }
  if (FATAL.test(text)) return 3;
  if (ERROR.test(text)) return 2;
  if (WARNING.test(text)) return 1;
  return 0;
}

/**
 * The most telling lines of a command's output: fatal lines first, then errors, then warnings, each at
 * most once, at most a few per output. Only the first 128 KiB are scanned, and only lines holding a
 * telling word are looked at closely (one regex pass over the text, no line splitting).
 */
export function outputSignals(output: string): OutputSignal[] {
  if (!output) return [];
  const text = output.length > MAX_SCAN ? output.slice(0, MAX_SCAN) : output;
  const found: OutputSignal[] = [];
  const seen = new Set<string>();
  const any = new RegExp(ANY.source, 'gi');
  let candidates = 0;
  for (let match = any.exec(text); match && candidates < MAX_CANDIDATES; match = any.exec(text)) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    let end = text.indexOf('\n', match.index);
    if (end === -1) end = text.length;
    any.lastIndex = end + 1;
    candidates++;
    const line = text.slice(start, end).trim();
    // A line this long is minified code or a data blob, not a message: its words are not signals.
    if (line.length < 4 || line.length > MAX_LINE || NOISE.test(line)) continue;
    const json = jsonLogLine(line);
    const candidate = json?.text ?? line;
    const weight = weigh(candidate, json?.level);
    if (weight === 0) continue;
    const clipped = brief(candidate, 240);
    const key = signalKey(clipped);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ text: clipped, weight });
  }
  found.sort((a, b) => b.weight - a.weight);
  return found.slice(0, MAX_PER_OUTPUT);
}

/** A comparison key that ignores counts, ages, hashes and times, so repeated lines collapse. */
export function signalKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b[0-9a-f]{8,}\b/g, '#')
    .replace(/-[a-z0-9]{5,10}(-[a-z0-9]{5})?\b/g, '-#')
    .replace(/\d+/g, '0')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The output part of a failed tool call's error (after Claude Code's `Exit code N` line), trimmed. */
export function failureBody(error: string): string {
  const match = /^\s*exit code:?\s*(-?\d+)\s*\n?/i.exec(error);
  return (match ? error.slice(match[0].length) : error).trim();
}

/** The error text of a failed tool call, without the `Exit code N` preamble Claude Code adds. */
export function failureText(error: string): { text: string; exitCode?: number } {
  const match = /^\s*exit code:?\s*(-?\d+)\s*\n?/i.exec(error);
  const body = match ? error.slice(match[0].length) : error;
  const lines = body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.find((l) => weigh(l) >= 2) ?? lines[lines.length - 1] ?? lines[0] ?? '';
  return { text: brief(telling || oneLine(error), 300), exitCode: match ? Number.parseInt(match[1]!, 10) : undefined };
}

const SYMPTOM_TERMS: Array<[RegExp, string]> = [
  [/\b5xx\b|\b5\d\d(s|\s+(errors?|responses?|status(es)?|codes?))\b|\b(http|status)\s*5\d\d\b/i, '5xx errors'],
  [/\b4xx\b|\b4\d\d(s|\s+(errors?|responses?|status(es)?|codes?))\b|\b(http|status)\s*4\d\d\b/i, '4xx errors'],
  [/crashloop\w*/i, 'CrashLoopBackOff'],
  [/oom\s?kill\w*|out of memory/i, 'out of memory'],
  [/imagepullbackoff|errimagepull/i, 'image pull failure'],
  [/latenc\w*|\bslow\b|\bp99\b|\bp95\b/i, 'latency'],
  [/time[sd]?[ -]?out/i, 'timeouts'],
  [/error rate|errors? (spik|increas|rising)/i, 'error rate'],
  [/\b(is|are|went|was|were|goes|going) down\b|outage|unavailable|unreachable/i, 'unavailable'],
  [/restart\w*|crash\w*/i, 'restarts'],
  [/disk (full|pressure)|no space left/i, 'disk full'],
  [/high cpu|cpu (throttl|saturat)/i, 'CPU saturation'],
  [/connection (refused|reset)|econnrefused/i, 'connection refused'],
];

/** Symptom names found in a piece of text, in a fixed order. */
export function symptomTerms(text: string): string[] {
  const out: string[] = [];
  for (const [pattern, name] of SYMPTOM_TERMS) if (pattern.test(text)) out.push(name);
  return out;
}

/** The sentences of a prompt that mention a symptom, clipped. */
export function symptomSentences(text: string, max = 3): string[] {
  const sentences = oneLine(text)
    .split(/(?<=[.!?])\s+/)
    .filter((s) => symptomTerms(s).length > 0);
  return sentences.slice(0, max).map((s) => brief(s, 240));
}
