interface Sink<T> {
  push(item: T): void;
  fail(error: unknown): void;
  end(): void;
}

/** Turns a callback subscription into an async iterable that ends after `isLast` or on abort. */
export function subscriptionIterable<T>(
  subscribe: (sink: Sink<T>) => { unsubscribe(): void },
  signal: AbortSignal,
  isLast: (item: T) => boolean,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const queue: T[] = [];
      let failure: unknown = null;
      let ended = false;
      let wake: (() => void) | null = null;
      const notify = () => {
        wake?.();
        wake = null;
      };
      const subscription = subscribe({
        push: (item) => {
          queue.push(item);
          if (isLast(item)) ended = true;
          notify();
        },
        fail: (error) => {
          failure = error ?? new Error('subscription failed');
          notify();
        },
        end: () => {
          ended = true;
          notify();
        },
      });
      const stop = () => {
        ended = true;
        notify();
      };
      signal.addEventListener('abort', stop, { once: true });
      return {
        async next(): Promise<IteratorResult<T>> {
          for (;;) {
            if (queue.length > 0) return { value: queue.shift() as T, done: false };
            if (failure) {
              subscription.unsubscribe();
              throw failure;
            }
            if (ended) {
              subscription.unsubscribe();
              signal.removeEventListener('abort', stop);
              return { value: undefined, done: true };
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        },
        async return(): Promise<IteratorResult<T>> {
          subscription.unsubscribe();
          signal.removeEventListener('abort', stop);
          return { value: undefined, done: true };
        },
      };
    },
  };
}
