import { randomBytes } from 'node:crypto';
import { LIST_SCRIPT, TIMELINE_SCRIPT } from './client-script.js';
import type { TimelineModel } from './timeline-model.js';

/** Text as HTML content or attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside `<script type="application/json">`: no `<` can close the element. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The Content-Security-Policy of every page: nothing from anywhere but this page's own nonce'd script and style. */
export function contentSecurityPolicy(nonce: string, connectSelf: boolean): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'${connectSelf ? "; connect-src 'self'" : ''}`;
}

const STYLE = `
:root { --fg:#1d232a; --muted:#66707a; --bg:#fff; --line:#e4e7eb; --fail:#c62828; --tool:#1565c0; --prompt:#6a1b9a; --msg:#2e7d32; --sel:#fff4c2; }
* { box-sizing: border-box; }
body { margin:0; font:13px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif; color:var(--fg); background:var(--bg); }
header { padding:10px 16px; border-bottom:1px solid var(--line); }
header h1 { font-size:15px; margin:0 0 4px; word-break:break-all; }
header .meta { color:var(--muted); }
nav a { margin-right:12px; }
#rows { position:relative; height:calc(100vh - 96px); overflow-y:auto; outline:none; }
#spacer { width:1px; }
.row { position:absolute; left:0; right:0; height:28px; display:grid; grid-template-columns:70px 64px 120px 1fr 64px 28%; align-items:center; gap:8px; padding:0 12px; border-bottom:1px solid var(--line); white-space:nowrap; overflow:hidden; cursor:pointer; }
.row.selected { background:var(--sel); }
.row .offset, .row .duration { color:var(--muted); font-variant-numeric:tabular-nums; text-align:right; }
.row .label { font-weight:600; overflow:hidden; text-overflow:ellipsis; }
.row .title { overflow:hidden; text-overflow:ellipsis; font-family:ui-monospace, monospace; }
.row .lane.sub { background:#eceff1; border-radius:3px; padding:0 4px; font-size:11px; }
.row.s-failed { background:#fdecea; }
.row.s-failed .label, .row .error { color:var(--fail); }
.row .error { margin-left:10px; }
.row.k-prompt .label { color:var(--prompt); }
.row.k-message .label { color:var(--msg); }
.row.k-compaction { background:#f3e5f5; }
svg.bar { width:100%; height:10px; }
rect.k-tool { fill:var(--tool); } rect.s-failed { fill:var(--fail); } rect.k-prompt { fill:var(--prompt); } rect.k-message { fill:var(--msg); } rect { fill:#90a4ae; }
.redacted { background:#263238; color:#fff; border-radius:3px; padding:0 3px; font-size:11px; }
#detail { position:fixed; top:0; right:0; bottom:0; width:min(720px, 90vw); background:#fff; border-left:1px solid var(--line); box-shadow:-4px 0 12px rgba(0,0,0,.08); overflow:auto; padding:12px 16px; outline:none; }
#detail pre { white-space:pre-wrap; word-break:break-word; background:#f6f8fa; padding:8px; border-radius:4px; }
#detail pre.error { background:#fdecea; color:var(--fail); }
footer { padding:4px 16px; color:var(--muted); border-top:1px solid var(--line); }
table { border-collapse:collapse; width:100%; } td, th { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); }
td.num { text-align:right; } td.failed { color:var(--fail); font-weight:600; } td.prompt { max-width:480px; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
main.doc { max-width:860px; padding:16px; } main.doc pre { background:#f6f8fa; padding:8px; white-space:pre-wrap; }
`;

function document(title: string, nonce: string, body: string, script?: string, csp?: string): string {
  const meta = csp ? `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${meta}<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>
`;
}

export interface TimelinePageOptions {
  nonce: string;
  /** A self-contained file (its CSP as a meta tag) rather than a served page (CSP as a header). */
  standalone: boolean;
  /** Links back to the list and to the learning artifacts (served pages). */
  links?: { list: string; learn?: string };
}

/** One session's timeline page: header, rows (filled in by the script from the embedded model), a detail pane. */
export function renderTimelinePage(model: TimelineModel, options: TimelinePageOptions): string {
  const nav = options.links
    ? `<nav><a href="${escapeHtml(options.links.list)}">All sessions</a>${options.links.learn ? `<a href="${escapeHtml(options.links.learn)}">Learning</a>` : ''}</nav>`
    : '';
  const body = `<header>${nav}<h1>Session ${escapeHtml(model.sessionId)}</h1>
<div class="meta" id="meta"></div></header>
<div id="rows" tabindex="0" role="grid" aria-label="timeline"><div id="spacer"></div></div>
<footer id="status">${model.steps.length} steps</footer>
<aside id="detail" hidden tabindex="-1"><button id="detail-close" type="button">Close (Esc)</button><div id="detail-body"></div></aside>
<script type="application/json" id="timeline-data">${embedJson(model)}</script>`;
  return document(
    `Session ${model.sessionId}`,
    options.nonce,
    body,
    TIMELINE_SCRIPT,
    options.standalone ? contentSecurityPolicy(options.nonce, false) : undefined,
  );
}

/** The sessions list page (served): the table is filled in from /api/sessions. */
export function renderListPage(nonce: string, projectLabel: string): string {
  const body = `<header><h1>Sessions · ${escapeHtml(projectLabel)}</h1><input id="filter" type="search" placeholder="filter by id or prompt" autofocus></header>
<main><table><thead><tr><th>session</th><th>time</th><th>events</th><th>failures</th><th>learned</th><th>first prompt</th></tr></thead><tbody id="sessions"></tbody></table></main>`;
  return document('Sessions', nonce, body, LIST_SCRIPT);
}

/** Learning artifacts of a session, rendered from markdown with every piece of text escaped. */
export function renderDocumentsPage(
  nonce: string,
  sessionId: string,
  documents: { name: string; markdown: string }[],
  listHref: string,
  sessionHref: string,
): string {
  const sections =
    documents.length === 0
      ? '<p>No learning artifacts for this session yet: run <code>runbook integrations claude learn</code>.</p>'
      : documents
          .map((d) => `<section><h2>${escapeHtml(d.name)}</h2>${renderMarkdown(d.markdown)}</section>`)
          .join('\n');
  const body = `<header><nav><a href="${escapeHtml(listHref)}">All sessions</a><a href="${escapeHtml(sessionHref)}">Timeline</a></nav><h1>Learning · ${escapeHtml(sessionId)}</h1></header><main class="doc">${sections}</main>`;
  return document(`Learning ${sessionId}`, nonce, body);
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** A small, safe markdown subset: headings, lists, fences, quotes, paragraphs; all text escaped, no raw HTML, no links followed. */
export function renderMarkdown(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.replace(/^---\n[\s\S]*?\n---\n/, '').split('\n');
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    if (list.length) out.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    paragraph = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith(fence[1]!); i++) code.push(lines[i]!);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1]!.length + 1);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (/^\s*[-*]\s+/.test(line)) {
      if (paragraph.length) flush();
      list.push(line.replace(/^\s*[-*]\s+/, ''));
    } else if (/^>\s?/.test(line)) {
      flush();
      out.push(`<blockquote>${inline(line.replace(/^>\s?/, ''))}</blockquote>`);
    } else if (line.trim() === '') {
      flush();
    } else {
      if (list.length) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}
