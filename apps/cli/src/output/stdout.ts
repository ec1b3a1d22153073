import { forTerminal } from './terminal.js';

/** A writable stream as far as the output helpers need one. */
export interface Sink {
  write(chunk: string): boolean;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  removeListener(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
}

/** Thrown by {@link writeChunk} when the reader went away (`runbook ... | head`); commands stop quietly. */
export class OutputClosedError extends Error {
  constructor() {
    super('output closed');
    this.name = 'OutputClosedError';
  }
}

let closed = false;

/** Note a closed stdout once, so later writes stop instead of throwing EPIPE at the user. */
export function watchStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else throw error;
  });
}

/** Write one chunk and wait for the stream to drain when its buffer is full (streamed output stays small in memory). */
export async function writeChunk(chunk: string, stream: Sink = process.stdout): Promise<void> {
  if (closed) throw new OutputClosedError();
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      stream.removeListener('drain', done);
      stream.removeListener('close', gone);
      resolve();
    };
    const gone = () => {
      stream.removeListener('drain', done);
      closed = true;
      reject(new OutputClosedError());
    };
    stream.once('drain', done);
    stream.once('close', gone);
  });
}

/** Pretty JSON and a newline on stdout: what every `--json` prints. */
export async function writeJson(value: unknown, stream: Sink = process.stdout): Promise<void> {
  await writeChunk(`${JSON.stringify(value, null, 2)}\n`, stream);
}

/** A diagnostic line on stderr, prefixed like every runbook message; always one line, control characters neutralised. */
export function warn(message: string, stream: { write(chunk: string): unknown } = process.stderr): void {
  stream.write(`runbook: ${forTerminal(message, { oneLine: true })}\n`);
}
