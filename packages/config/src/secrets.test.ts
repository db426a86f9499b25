import { expect, it } from 'vitest';
import { bearerToken, sameSecret } from './secrets';

it('compares secrets of any length without throwing', () => {
  expect(sameSecret('a-secret-value', 'a-secret-value')).toBe(true);
  expect(sameSecret('a-secret-value', 'a-secret-valuf')).toBe(false);
  expect(sameSecret('short', 'a-much-longer-secret')).toBe(false);
});

it('reads the token of a bearer header, in any case, and nothing else', () => {
  expect(bearerToken('Bearer abc ')).toBe('abc');
  expect(bearerToken('bearer abc')).toBe('abc');
  expect(bearerToken('Basic abc')).toBeNull();
  expect(bearerToken(undefined)).toBeNull();
});
