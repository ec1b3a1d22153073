/**
 * A real S3-compatible server (fauxqs) on 127.0.0.1 for tests, behind a small TCP relay so a test can
 * take the endpoint down and bring it back on the same port without losing the stored objects.
 *
 * Usable from any package's tests by relative path:
 *   import { startS3Server } from '../../../packages/storage-s3/test/helpers/s3-server.js';
 */
import { once } from 'node:events';
import net from 'node:net';
import { buildApp } from 'fauxqs';

export const TEST_CREDENTIALS = { accessKeyId: 'runbook-test', secretAccessKey: 'runbook-test-secret' } as const;
export const TEST_REGION = 'us-east-1';

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`: stays the same across `down()`/`up()`. */
  readonly endpoint: string;
  readonly port: number;
  createBucket(name: string): Promise<void>;
  /** Refuse connections (as a stopped server does) until `up()`; open connections are cut. */
  down(): Promise<void>;
  /** Accept connections but never answer (a hung server) until `up()` or `down()`. */
  hang(): Promise<void>;
  /** Serve again on the same port, with every object still there. */
  up(): Promise<void>;
  /** Stop everything. */
  stop(): Promise<void>;
  /** Environment for a child process that should talk to this server with the standard AWS chain. */
  env(): Record<string, string>;
}

async function listen(server: net.Server, port: number): Promise<number> {
  server.listen({ port, host: '127.0.0.1', exclusive: true });
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

/** Start fauxqs and a relay in front of it; both on 127.0.0.1, the relay on a random port. */
export async function startS3Server(options: { buckets?: string[] } = {}): Promise<S3TestServer> {
  const app = buildApp({ logger: false });
  const inner = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
  const innerPort = Number(inner.port);

  const sockets = new Set<net.Socket>();
  let hanging = false;
  const relay = (client: net.Socket) => {
    if (hanging) {
      sockets.add(client);
      client.on('error', () => {}).on('close', () => sockets.delete(client));
      client.resume();
      return;
    }
    const upstream = net.connect({ port: innerPort, host: '127.0.0.1' });
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  };

  let front = net.createServer(relay);
  const port = await listen(front, 0);
  let running = true;
  const endpoint = `http://127.0.0.1:${port}`;

  function cutConnections(): void {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  }

  async function closeFront(): Promise<void> {
    hanging = false;
    if (!running) return;
    running = false;
    const closed = once(front, 'close');
    front.close();
    cutConnections();
    await closed;
  }

  const server: S3TestServer = {
    endpoint,
    port,
    async createBucket(name) {
      const response = await fetch(`http://127.0.0.1:${innerPort}/${name}`, { method: 'PUT' });
      if (!response.ok && response.status !== 409)
        throw new Error(`cannot create bucket ${name}: HTTP ${response.status}`);
    },
    down: closeFront,
    async hang() {
      if (!running) await server.up();
      hanging = true;
      cutConnections();
    },
    async up() {
      if (hanging) {
        hanging = false;
        cutConnections();
      }
      if (running) return;
      front = net.createServer(relay);
      await listen(front, port);
      running = true;
    },
    async stop() {
      await closeFront();
      await app.close();
    },
    env() {
      return {
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_REGION: TEST_REGION,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      };
    },
  };
  for (const bucket of options.buckets ?? []) await server.createBucket(bucket);
  return server;
}

/** A server on 127.0.0.1 that accepts connections and never answers: a hung S3 endpoint. */
export async function startSilentServer(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {}).on('close', () => sockets.delete(socket));
    socket.resume();
  });
  const port = await listen(server, 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      const closed = once(server, 'close');
      server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
