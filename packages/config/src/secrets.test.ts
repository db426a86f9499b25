import { expect, it } from 'vitest';
import { bearerToken, sameSecret, secretMatcher } from './secrets';

it('compares secrets of any length without throwing', () => {
  expect(sameSecret('a-secret-value', 'a-secret-value')).toBe(true);
  expect(sameSecret('a-secret-value', 'a-secret-valuf')).toBe(false);
  expect(sameSecret('short', 'a-much-longer-secret')).toBe(false);
  // The expected secret and more, or a prefix of it: compared over its length, then refused.
  expect(sameSecret('a-secret-value-and-more', 'a-secret-value')).toBe(false);
  expect(sameSecret('a-secret', 'a-secret-value')).toBe(false);
  expect(sameSecret('', '')).toBe(true);
  expect(sameSecret('ünïcödé', 'ünïcödé')).toBe(true);
  expect(sameSecret('ünïcödë', 'ünïcödé')).toBe(false);
});

it('reads the token of a bearer header, in any case, and nothing else', () => {
  expect(bearerToken('Bearer abc ')).toBe('abc');
  expect(bearerToken('bearer abc')).toBe('abc');
  expect(bearerToken('Basic abc')).toBeNull();
  expect(bearerToken(undefined)).toBeNull();
});

it('matches one secret as sameSecret does', () => {
  const isToken = secretMatcher('a-secret-value');
  for (const given of ['a-secret-value', 'a-secret-valuf', 'short', '', 'a-secret-value!'])
    expect(isToken(given)).toBe(sameSecret(given, 'a-secret-value'));
  expect(isToken('a-secret-value')).toBe(true);
});
