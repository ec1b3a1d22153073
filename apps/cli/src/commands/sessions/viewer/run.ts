import { spawn } from 'node:child_process';
import { loadContext } from '../../../shared/context.js';
import { outputRedaction } from '../../../shared/output-redaction.js';
import { openStore } from '../../../shared/store.js';
import { writeChunk } from '../../../output/stdout.js';
import { newNonce, renderTimelinePage } from './page.js';
import { readSession, timelineOf } from './session-data.js';
import { startViewer } from './server.js';

export interface SessionsHtmlOptions {
  projectDir?: string;
}

/** `sessions show <id> --html`: the timeline as one self-contained file (no network, no external resources). */
export async function runSessionsHtml(sessionId: string, opts: SessionsHtmlOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const store = await openStore(context);
  try {
    const model = timelineOf(sessionId, await readSession(context, store, sessionId), outputRedaction(context), true);
    await writeChunk(renderTimelinePage(model, { nonce: newNonce(), standalone: true }));
  } finally {
    await store.close?.();
  }
}

export interface SessionsServeOptions {
  port?: number;
  open?: boolean;
  projectDir?: string;
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () =>
    process.stderr.write(`runbook: could not start a browser (${command}); open the URL yourself\n`),
  );
  child.unref();
}

/** `sessions serve`: the read-only viewer on 127.0.0.1 until interrupted. */
export async function runSessionsServe(opts: SessionsServeOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const store = await openStore(context);
  const viewer = await startViewer({
    context,
    store,
    redaction: outputRedaction(context),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  process.stdout.write(
    `Viewer for ${context.projectDir}\n${viewer.url}\n(127.0.0.1 only; the token in the URL is the key. Ctrl-C stops it.)\n`,
  );
  if (opts.open) openInBrowser(viewer.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await viewer.close();
  await store.close?.();
}
