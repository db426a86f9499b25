/** Counts the calls of one service function from now on, calling it through. */
export function counted<S extends object, K extends keyof S>(service: S, name: K): { calls: number } {
  const original = service[name] as (...args: unknown[]) => unknown;
  const count = { calls: 0 };
  service[name] = ((...args: unknown[]) => {
    count.calls++;
    return original.apply(service, args);
  }) as S[K];
  return count;
}
