import { runs } from '@retrace/db';
import { createLocalRunnerClient, createRunner } from '@retrace/runner';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../api';
import { createTempDb } from '../test/temp-db';
import { describeError } from '../trpc';
import { REDACTED } from './redact';

// What a person types is stored without its secrets, or refused when storing would cut it.
// The queue is paused: no run starts, so no model is needed.
const SERVER_TOKEN = 'the-server-token-0123456789abcdef';
const OPENAI_LIKE = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789';
const GITHUB_LIKE = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const AWS_LIKE = 'AKIAABCDEFGHIJKLMNOP';
let temp: Awaited<ReturnType<typeof createTempDb>>;
let api: ReturnType<typeof createApi>;
beforeAll(async () => {
  temp = await createTempDb();
  const runner = createRunner({
    dataDir: temp.dir,
    models: { mode: 'offline', agent: { model: 'none' }, codex: { model: 'none' } },
    environment: {},
  });
  api = createApi({
    db: temp.db,
    runner: createLocalRunnerClient(runner),
    dataDir: temp.dir,
    maxConcurrency: 1,
    secrets: [SERVER_TOKEN],
  });
  await api.stop();
});
afterAll(() => temp.cleanup());

describe('secrets in what people type', () => {
  it('are redacted in the stored prompt, base prompt and verify command, and in the prompt index', async () => {
    const project = await api.caller.projects.create({
      name: 'secrets',
      basePrompt: `You deploy with ${AWS_LIKE}.`,
      verifyCommand: `curl -H "Authorization: Bearer ${SERVER_TOKEN}" localhost`,
    });
    expect(project.basePrompt).toBe(`You deploy with ${REDACTED}.`);
    expect(project.verifyCommand).toBe(`curl -H "Authorization: Bearer ${REDACTED}" localhost`);
    const run = await api.caller.runs.create({
      projectId: project.id,
      prompt: `run: deploy --key ${OPENAI_LIKE} --gh ${GITHUB_LIKE}`,
    });
    expect(run.prompt).toBe(`run: deploy --key ${REDACTED} --gh ${REDACTED}`);
    const listed = await api.caller.runs.list({ projectId: project.id, limit: 10 });
    expect(listed.items[0]?.prompt).toBe(run.prompt);
    const [row] = await temp.db.select().from(runs).where(eq(runs.id, run.id));
    expect(JSON.stringify(row)).not.toMatch(/sk-proj-|ghp_/);
    const indexed = await temp.db.all(
      sql`SELECT rowid FROM runs_prompt_fts WHERE runs_prompt_fts MATCH ${'"AbCdEfGhIjKlMnOpQrStUvWx0123456789"'}`,
    );
    expect(indexed).toEqual([]);
    await api.caller.runs.cancel({ id: run.id });
  });

  it('updating a project redacts too', async () => {
    const project = await api.caller.projects.create({ name: 'later' });
    const updated = await api.caller.projects.update({
      id: project.id,
      verifyCommand: `echo ${GITHUB_LIKE}`,
    });
    expect(updated.verifyCommand).toBe(`echo ${REDACTED}`);
  });
});

/** What a client is told when the call fails: the API's own description of the error. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    return describeError(error as TRPCError).message;
  }
  throw new Error('the call was not refused');
}

describe('control characters', () => {
  it.each([
    ['a\u0000b', 'U+0000'],
    ['tab\there', 'U+0009'],
    ['two\nlines', 'U+000A'],
    ['esc\u001b[31m', 'U+001B'],
  ])('are refused in a name (%j), naming the field and the character', async (name, found) => {
    expect(await refusal(api.caller.projects.create({ name }))).toBe(
      `name: must not contain control characters (found ${found})`,
    );
  });

  it('a NUL in a prompt is refused, never cut; tabs, newlines and escapes are kept exactly', async () => {
    const project = await api.caller.projects.create({ name: 'controls' });
    expect(
      await refusal(api.caller.runs.create({ projectId: project.id, prompt: 'run: echo a\u0000rest' })),
    ).toBe('prompt: must not contain a NUL character (U+0000)');
    const prompt = 'run: printf "a\\tb"\n\trun: echo \u001b[1mbold\u001b[0m\r\nend';
    const run = await api.caller.runs.create({ projectId: project.id, prompt });
    expect((await api.caller.runs.get({ id: run.id })).prompt).toBe(prompt);
    await api.caller.runs.cancel({ id: run.id });
  });
});
