import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('defaults to loopback, port 8787, concurrency 2 and a file database in ./.retrace', () => {
    const env = parseEnv({}, '/srv/app');
    expect(env.RETRACE_HOST).toBe('127.0.0.1');
    expect(env.RETRACE_PORT).toBe(8787);
    expect(env.RETRACE_MAX_CONCURRENCY).toBe(2);
    expect(env.dataDir).toBe('/srv/app/.retrace');
    expect(env.databaseUrl).toBe('file:/srv/app/.retrace/retrace.db');
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ RETRACE_PORT: 'eighty' })).toThrow(/RETRACE_PORT/);
    expect(() => parseEnv({ RETRACE_DATABASE_URL: 'postgres://x' })).toThrow(/RETRACE_DATABASE_URL/);
    expect(() => parseEnv({ RETRACE_MAX_CONCURRENCY: '0' })).toThrow(/RETRACE_MAX_CONCURRENCY/);
    expect(() => parseEnv({ RETRACE_RUNNER_URL: 'ftp://runner' })).toThrow(/RETRACE_RUNNER_URL/);
    expect(() => parseEnv({ RETRACE_TOKEN: 'short' })).toThrow(/RETRACE_TOKEN/);
  });

  it('refuses a non-loopback host without a token', () => {
    expect(() => parseEnv({ RETRACE_HOST: '0.0.0.0' })).toThrow(/RETRACE_TOKEN: required/);
    expect(parseEnv({ RETRACE_HOST: '0.0.0.0', RETRACE_TOKEN: 'a-long-enough-token' }).RETRACE_HOST).toBe(
      '0.0.0.0',
    );
  });

  it('requires the runner secret with a remote runner', () => {
    expect(() => parseEnv({ RETRACE_RUNNER_URL: 'http://10.0.0.2:8788' })).toThrow(/RETRACE_RUNNER_SECRET/);
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ OPENAI_API_KEY: '', RETRACE_TOKEN: '' }).OPENAI_API_KEY).toBeUndefined();
  });
});
