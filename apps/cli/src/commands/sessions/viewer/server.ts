import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRunbookError, type SessionBackend } from '@runbook/storage-core';
import type { CliContext } from '../../../shared/context.js';
import type { OutputRedaction } from '../../../shared/output-redaction.js';
import { contentSecurityPolicy, newNonce, renderDocumentsPage, renderListPage, renderTimelinePage } from './page.js';
import type { StoredRecord } from '@runbook/storage-core';
import { learningDirs, learningDocuments, listForViewer, readHead, readSession, timelineOf } from './session-data.js';

/** Events read for a session's first screen; the page fetches the whole timeline after it is drawn. */
const FIRST_SCREEN_EVENTS = 300;

const COOKIE = 'runbook_viewer';

export interface ViewerServer {
  /** The URL to open, with the access token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ViewerOptions {
  context: CliContext;
  store: SessionBackend;
  redaction: OutputRedaction;
  /** 0 (the default) picks a free port. */
  port?: number;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    ...headers,
  });
  response.end(body);
}

/**
 * A read-only viewer on 127.0.0.1: the sessions list, each session's timeline and its learning artifacts.
 * Every request needs the random token (from the printed URL, then a same-site cookie) and a Host header
 * naming this very address, so other sites in the browser cannot read it (DNS rebinding included).
 */
export async function startViewer(options: ViewerOptions): Promise<ViewerServer> {
  const token = randomBytes(24).toString('hex');
  const { context, store, redaction } = options;
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  // The sessions opened last, as read: a step's payloads are redacted from here when it is opened.
  const recent = new Map<string, StoredRecord[]>();
  async function recordsOf(sessionId: string, fresh: boolean): Promise<StoredRecord[]> {
    let records = fresh ? undefined : recent.get(sessionId);
    if (!records) {
      records = await readSession(context, store, sessionId);
      recent.delete(sessionId);
      recent.set(sessionId, records);
      if (recent.size > 4) recent.delete(recent.keys().next().value!);
    }
    return records;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts().has(request.headers.host ?? ''))
      return send(response, 421, 'text/plain; charset=utf-8', 'unknown host\n');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(response, 405, 'text/plain; charset=utf-8', 'read-only\n', { Allow: 'GET, HEAD' });
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!same(given, token)) return send(response, 403, 'text/plain; charset=utf-8', 'wrong token\n');
      url.searchParams.delete('token');
      return send(response, 303, 'text/plain; charset=utf-8', '', {
        Location: `${url.pathname}${url.search}`,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    const cookie = cookieToken(request);
    if (cookie === undefined || !same(cookie, token))
      return send(
        response,
        403,
        'text/plain; charset=utf-8',
        'open the URL runbook printed (it carries the access token)\n',
      );

    const nonce = newNonce();
    const html = (body: string) =>
      send(response, 200, 'text/html; charset=utf-8', body, {
        'Content-Security-Policy': contentSecurityPolicy(nonce, true),
      });
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
    if (parts.length === 0) return html(renderListPage(nonce, context.projectDir));
    if (parts.length === 2 && parts[0] === 'api' && parts[1] === 'sessions') {
      return send(
        response,
        200,
        'application/json; charset=utf-8',
        JSON.stringify(await listForViewer(context, store, redaction)),
      );
    }
    if (parts.length === 4 && parts[0] === 'api' && parts[1] === 'session' && parts[3] === 'events') {
      const records = await recordsOf(parts[2]!, false);
      const wanted = (url.searchParams.get('i') ?? '')
        .split(',')
        .map(Number)
        .filter((i) => Number.isInteger(i) && i >= 0 && i < records.length)
        .slice(0, 200);
      const payloads = Object.fromEntries(wanted.map((i) => [i, redaction.payload(records[i]!.payload)]));
      return send(response, 200, 'application/json; charset=utf-8', JSON.stringify(payloads));
    }
    if (parts.length === 4 && parts[0] === 'api' && parts[1] === 'session' && parts[3] === 'timeline') {
      return send(
        response,
        200,
        'application/json; charset=utf-8',
        JSON.stringify(timelineOf(parts[2]!, await recordsOf(parts[2]!, true), redaction, false)),
      );
    }
    if (parts[0] === 'session' && parts.length === 2) {
      const head = await readHead(context, store, parts[1]!, FIRST_SCREEN_EVENTS);
      const model = { ...timelineOf(parts[1]!, head, redaction, false), partial: head.length >= FIRST_SCREEN_EVENTS };
      return html(
        renderTimelinePage(model, {
          nonce,
          standalone: false,
          links: { list: '/', learn: `/session/${encodeURIComponent(parts[1]!)}/learn` },
        }),
      );
    }
    if (parts[0] === 'session' && parts.length === 3 && parts[2] === 'learn') {
      const dirs = (await learningDirs(context)).get(parts[1]!) ?? [];
      const documents = (await learningDocuments(dirs)).map((d) => ({ ...d, markdown: redaction.text(d.markdown) }));
      return html(renderDocumentsPage(nonce, parts[1]!, documents, '/', `/session/${encodeURIComponent(parts[1]!)}`));
    }
    return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const notFound = isRunbookError(error, 'SESSION_NOT_FOUND');
      if (!response.headersSent)
        send(
          response,
          notFound ? 404 : 500,
          'text/plain; charset=utf-8',
          `${notFound ? 'no such session' : 'could not read the session'}\n`,
        );
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
