/**
 * Map an async source with up to `concurrency` calls of `fn` in flight, yielding results in source
 * order. Reads ahead at most `concurrency` items, so memory stays bounded however long the source is.
 */
export async function* mapOrdered<T, R>(
  source: AsyncIterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const inFlight: Promise<R>[] = [];
  let done = false;
  try {
    for (;;) {
      while (!done && inFlight.length < Math.max(1, concurrency)) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        const pending = fn(next.value);
        // Settled later, in order; mark handled now so an early failure is not reported as unhandled.
        pending.catch(() => {});
        inFlight.push(pending);
      }
      const head = inFlight.shift();
      if (head === undefined) return;
      yield await head;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
