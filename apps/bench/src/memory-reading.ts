export const MB = 1024 * 1024;

/**
 * RSS and the JS heap in use, in MB, from one reading after a full collection (the probe
 * runs with --expose-gc).
 */
export function settledMemory(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / MB, heap: heapUsed / MB };
}
