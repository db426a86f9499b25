import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, isLoopback, optional, parseEnvWith, resolveDataDir } from './env';

describe('parseEnvWith', () => {
  const schema = z.object({ A_PORT: z.coerce.number().int(), A_NAME: optional(z.string().min(3)) });

  it('names every variable that is wrong, one a line', () => {
    let error: unknown;
    try {
      parseEnvWith(schema, { A_PORT: 'eighty', A_NAME: 'ab' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}A_PORT: /),
      expect.stringMatching(/^ {2}A_NAME: /),
    ]);
  });

  it('treats an empty value as unset', () => {
    expect(parseEnvWith(schema, { A_PORT: '1', A_NAME: '' })).toEqual({ A_PORT: 1 });
  });
});

it('resolves a relative data dir from where npm ran, keeps an absolute one', () => {
  expect(resolveDataDir('.retrace', '/srv/app')).toBe('/srv/app/.retrace');
  expect(resolveDataDir('/var/lib/retrace', '/srv/app')).toBe('/var/lib/retrace');
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['192.168.1.4', false],
    ['example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
