import { control } from './terminal.js';
import type { MaybeTty } from './style.js';

/** What a progress display is told; `done()` removes it. */
export interface Progress {
  /** Count `n` more items done (default 1). */
  tick(n?: number): void;
  /** Change the total once it is known. */
  setTotal(total: number): void;
  /** Clear the line. Safe to call more than once. */
  done(): void;
}

export interface ProgressOptions {
  /** Shown before the bar, e.g. `pruning`. */
  label: string;
  /** Items expected; unknown totals show a running count instead of a bar. */
  total?: number;
  /** Where to draw (default stderr). Nothing is drawn unless it is a terminal. */
  stream?: MaybeTty & { write(chunk: string): unknown; columns?: number };
  /** Wait this long before drawing, so quick work never flickers (default 250 ms). */
  delayMs?: number;
  env?: NodeJS.ProcessEnv;
}

const NOOP: Progress = { tick() {}, setTotal() {}, done() {} };
const REDRAW_MS = 100;

/**
 * A one-line progress bar on stderr, drawn only on a terminal and never mixed into stdout:
 *
 *   const progress = createProgress({ label: 'exporting', total: count });
 *   for (...) { ...; progress.tick(); }
 *   progress.done();
 *
 * `RUNBOOK_NO_PROGRESS=1` turns it off. Redraws at most ten times a second.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (stream.isTTY !== true || (env.RUNBOOK_NO_PROGRESS ?? '') !== '') return NOOP;
  let total = options.total;
  let count = 0;
  let drawn = false;
  let lastDraw = 0;
  const startAt = Date.now() + (options.delayMs ?? 250);

  function draw(force = false): void {
    const now = Date.now();
    if (now < startAt || (!force && now - lastDraw < REDRAW_MS)) return;
    lastDraw = now;
    const width = Math.max(20, Math.min(stream.columns ?? 80, 100) - options.label.length - 20);
    let line: string;
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, count / total);
      const filled = Math.round(ratio * width);
      line = `${options.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count}/${total}`;
    } else {
      line = `${options.label} ${count}`;
    }
    stream.write(`${control('\r\u001b[2K')}${line}`);
    drawn = true;
  }

  return {
    tick(n = 1) {
      count += n;
      draw(total !== undefined && count >= total);
    },
    setTotal(value) {
      total = value;
    },
    done() {
      if (drawn) stream.write(control('\r\u001b[2K'));
      drawn = false;
    },
  };
}
