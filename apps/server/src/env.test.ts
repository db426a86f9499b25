import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('defaults to loopback, port 8787, a token, limits, and a file database in ./.retrace', () => {
    const env = parseEnv({}, '/srv/app');
    expect(env.RETRACE_HOST).toBe('127.0.0.1');
    expect(env.RETRACE_PORT).toBe(8787);
    expect(env.RETRACE_AUTH).toBeUndefined();
    expect(env.publicUrl).toBeUndefined();
    expect(env.RETRACE_MAX_CONCURRENCY).toBe(2);
    expect(env.RETRACE_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(env.RETRACE_MAX_QUEUED_RUNS).toBe(50);
    expect(env.dataDir).toBe('/srv/app/.retrace');
    expect(env.databaseUrl).toBe('file:/srv/app/.retrace/retrace.db');
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ RETRACE_PORT: 'eighty' })).toThrow(/RETRACE_PORT/);
    expect(() => parseEnv({ RETRACE_DATABASE_URL: 'postgres://x' })).toThrow(/RETRACE_DATABASE_URL/);
    expect(() => parseEnv({ RETRACE_MAX_CONCURRENCY: '0' })).toThrow(/RETRACE_MAX_CONCURRENCY/);
    expect(() => parseEnv({ RETRACE_RUNNER_URL: 'ftp://runner' })).toThrow(/RETRACE_RUNNER_URL/);
    expect(() => parseEnv({ RETRACE_TOKEN: 'short' })).toThrow(/RETRACE_TOKEN/);
    expect(() => parseEnv({ RETRACE_AUTH: 'off' })).toThrow(/RETRACE_AUTH: must be "token" or "none"/);
    expect(() => parseEnv({ RETRACE_PUBLIC_URL: 'retrace.example' })).toThrow(/RETRACE_PUBLIC_URL/);
    expect(() => parseEnv({ RETRACE_MAX_BODY_BYTES: '1MiB' })).toThrow(/RETRACE_MAX_BODY_BYTES/);
    expect(() => parseEnv({ RETRACE_MAX_BODY_BYTES: '100' })).toThrow(
      /RETRACE_MAX_BODY_BYTES: must be at least 1024/,
    );
    expect(() => parseEnv({ RETRACE_MAX_QUEUED_RUNS: '0' })).toThrow(/RETRACE_MAX_QUEUED_RUNS/);
  });

  it('takes the limits and the public URL it is given', () => {
    const env = parseEnv({
      RETRACE_MAX_BODY_BYTES: '65536',
      RETRACE_MAX_QUEUED_RUNS: '3',
      RETRACE_PUBLIC_URL: 'https://retrace.example/',
    });
    expect([env.RETRACE_MAX_BODY_BYTES, env.RETRACE_MAX_QUEUED_RUNS]).toEqual([65536, 3]);
    expect(env.publicUrl?.origin).toBe('https://retrace.example');
  });

  it('allows a non-loopback host: the generated token guards it', () => {
    expect(parseEnv({ RETRACE_HOST: '0.0.0.0' }).RETRACE_HOST).toBe('0.0.0.0');
  });

  it('allows RETRACE_AUTH=none on loopback only, naming the variables otherwise', () => {
    expect(parseEnv({ RETRACE_AUTH: 'none' }).RETRACE_AUTH).toBe('none');
    expect(parseEnv({ RETRACE_AUTH: 'none', RETRACE_HOST: 'localhost' }).RETRACE_AUTH).toBe('none');
    expect(() => parseEnv({ RETRACE_AUTH: 'none', RETRACE_HOST: '0.0.0.0' })).toThrow(
      /RETRACE_AUTH: "none" is allowed only on a loopback RETRACE_HOST: anyone who reaches 0\.0\.0\.0/,
    );
    expect(() => parseEnv({ RETRACE_AUTH: 'none', RETRACE_PUBLIC_URL: 'https://retrace.example' })).toThrow(
      /RETRACE_AUTH: "none" is allowed only without a public RETRACE_PUBLIC_URL/,
    );
    expect(() => parseEnv({ RETRACE_AUTH: 'none', RETRACE_TOKEN: 'a-long-enough-token' })).toThrow(
      /RETRACE_AUTH: "none" contradicts RETRACE_TOKEN/,
    );
  });

  it('requires the runner secret with a remote runner', () => {
    expect(() => parseEnv({ RETRACE_RUNNER_URL: 'http://10.0.0.2:8788' })).toThrow(/RETRACE_RUNNER_SECRET/);
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ OPENAI_API_KEY: '', RETRACE_TOKEN: '' }).OPENAI_API_KEY).toBeUndefined();
  });
});
