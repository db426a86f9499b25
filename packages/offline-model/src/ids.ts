import { createHash } from 'node:crypto';

/** Ids derived from the request: the same request gets the same response, byte for byte. */
export function deterministicId(prefix: string, ...parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(typeof part === 'string' ? part : (JSON.stringify(part) ?? ''));
  return `${prefix}_${hash.digest('hex').slice(0, 24)}`;
}

/** A rough, deterministic token estimate (about four characters a token) for usage figures. */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}
