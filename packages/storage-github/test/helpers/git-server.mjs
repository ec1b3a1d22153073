// A real git server on 127.0.0.1 for tests and benches: git's own `git http-backend` (CGI) behind a small
// node HTTP server that requires the token (HTTP Basic with any user name, or Bearer). Repositories allow
// shallow and partial (blobless) fetches. Plain JavaScript so the bench scripts use the very same server;
// types in git-server.d.mts.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';
function authorized(header, token) {
  if (!header) return false;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value === token;
  if (scheme?.toLowerCase() !== 'basic') return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === token;
}
function serviceOf(url) {
  const service = url.searchParams.get('service') ?? url.pathname.split('/').pop();
  if (service === 'git-upload-pack') return 'upload-pack';
  if (service === 'git-receive-pack') return 'receive-pack';
  return void 0;
}
/** Run git's own CGI for one request and relay its answer. */
function runBackend(root, request, response, url) {
  const env = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REMOTE_USER: 'runbook-test',
    REMOTE_ADDR: '127.0.0.1',
    REQUEST_METHOD: request.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: request.headers['content-type'] ?? '',
    GATEWAY_INTERFACE: 'CGI/1.1',
  };
  if (request.headers['content-length']) env.CONTENT_LENGTH = request.headers['content-length'];
  if (request.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = request.headers['content-encoding'];
  if (request.headers['git-protocol']) env.GIT_PROTOCOL = String(request.headers['git-protocol']);
  const child = spawn(HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  request.pipe(child.stdin);
  child.stdin.on('error', () => {});
  let head = Buffer.alloc(0);
  let headerDone = false;
  child.stdout.on('data', (chunk) => {
    if (headerDone) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf('\r\n\r\n');
    let sep = 4;
    if (end < 0) {
      end = head.indexOf('\n\n');
      sep = 2;
    }
    if (end < 0) return;
    headerDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    response.write(head.subarray(end + sep));
  });
  child.stdout.on('end', () => response.end());
  child.on('error', () => response.destroy());
}
async function startGitServer(options) {
  const root = mkdtempSync(path.join(tmpdir(), 'runbook-git-server-'));
  const counts = { requests: 0, 'upload-pack': 0, 'receive-pack': 0, unauthorized: 0, intercepted: 0 };
  const authorizations = [];
  const server = createServer((request, response) => {
    const url2 = new URL(request.url ?? '/', 'http://127.0.0.1');
    const service = serviceOf(url2);
    counts.requests += 1;
    if (request.headers.authorization) authorizations.push(request.headers.authorization);
    if (!authorized(request.headers.authorization, options.token)) {
      counts.unauthorized += 1;
      request.resume();
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="runbook-test"', 'Content-Type': 'text/plain' });
      response.end('authentication required\n');
      return;
    }
    const canned = options.intercept?.({ method: request.method ?? 'GET', path: url2.pathname, service });
    if (canned) {
      counts.intercepted += 1;
      request.resume();
      response.writeHead(canned.status, { 'Content-Type': 'text/plain', ...canned.headers });
      response.end(canned.body ?? '');
      return;
    }
    if (service && request.method === 'POST') counts[service] += 1;
    runBackend(root, request, response, url2);
  });
  server.keepAliveTimeout = 1e3;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  const repoPath = (name) => path.join(root, `${name}.git`);
  return {
    url,
    counts,
    authorizations,
    repoPath,
    createRepo(name) {
      const dir = repoPath(name);
      mkdirSync(dir, { recursive: true });
      execFileSync('git', ['init', '--quiet', '--bare', dir]);
      for (const [key, value] of [
        ['http.receivepack', 'true'],
        ['uploadpack.allowFilter', 'true'],
        ['uploadpack.allowAnySHA1InWant', 'true'],
      ]) {
        execFileSync('git', ['-C', dir, 'config', key, value]);
      }
      return `${url}/${name}.git`;
    },
    async close() {
      // Stop accepting first, then drop every open (keep-alive or in-flight) connection.
      const closed = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
export { startGitServer };
