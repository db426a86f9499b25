import { timingSafeEqual } from 'node:crypto';

/**
 * Compares presented secrets with one expected secret in constant time: each is copied into
 * (or cut to) the expected length and compared over all of it, so the time tells nothing of
 * the expected secret, not even where a guess first goes wrong; a guess of another length
 * fails only after that. It was a SHA-256 of each guess, which cost a request to the server
 * more than a quarter of its time.
 */
export function secretMatcher(expected: string): (given: string) => boolean {
  const wanted = Buffer.from(expected, 'utf8');
  return (given) => {
    const presented = Buffer.alloc(wanted.length);
    presented.write(given, 'utf8');
    return timingSafeEqual(presented, wanted) && Buffer.byteLength(given, 'utf8') === wanted.length;
  };
}

/** `secretMatcher` for one comparison. */
export function sameSecret(given: string, expected: string): boolean {
  return secretMatcher(expected)(given);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  return header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : null;
}
