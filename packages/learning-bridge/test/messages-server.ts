import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What the server answers, in order; the last one repeats. */
export type Reply = { status: number; body: unknown };

export interface MessagesServer {
  baseURL: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** A tool call answer shaped like the Messages API's. */
export function toolUseReply(input: unknown, model = 'claude-test'): Reply {
  return {
    status: 200,
    body: {
      id: 'msg_01TestLoopback',
      type: 'message',
      role: 'assistant',
      model,
      content: [
        { type: 'tool_use', id: `toolu_${Math.random().toString(36).slice(2, 10)}`, name: 'submit_learning', input },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 1200, output_tokens: 800 },
    },
  };
}

export function errorReply(status: number, type: string, message: string): Reply {
  return { status, body: { type: 'error', error: { type, message } } };
}

/** A Messages API stand-in on 127.0.0.1 (random port): `POST /v1/messages` answers from `replies`. */
export async function startMessagesServer(replies: Reply[]): Promise<MessagesServer> {
  const requests: SeenRequest[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // leave empty
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
        return;
      }
      const reply = replies[Math.min(next++, replies.length - 1)]!;
      res
        .writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_${next}` })
        .end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
