import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('defaults to loopback, port 8787 and a file database in ./.retrace', () => {
    const env = parseEnv({}, '/srv/app');
    expect(env.RETRACE_HOST).toBe('127.0.0.1');
    expect(env.RETRACE_PORT).toBe(8787);
    expect(env.dataDir).toBe('/srv/app/.retrace');
    expect(env.databaseUrl).toBe('file:/srv/app/.retrace/retrace.db');
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ RETRACE_PORT: 'eighty' })).toThrow(/RETRACE_PORT/);
    expect(() => parseEnv({ RETRACE_DATABASE_URL: 'postgres://x' })).toThrow(/RETRACE_DATABASE_URL/);
  });
});
