import { describe, expect, it } from 'vitest';
import { describeIssues, RUNNER_ERROR_CODES, RunnerError } from './errors';
import { runInputSchema } from './run-input';

describe('RunnerError', () => {
  it('is retryable only when the runner could not be reached', () => {
    const retryable = RUNNER_ERROR_CODES.filter((code) => new RunnerError(code, 'x').retryable);
    expect(retryable).toEqual(['UNAVAILABLE']);
  });

  it('keeps its code, message and cause', () => {
    const cause = new Error('socket hang up');
    const error = new RunnerError('UNAVAILABLE', 'the runner could not be reached', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'RunnerError', code: 'UNAVAILABLE', cause });
  });
});

describe('the run input', () => {
  const input = {
    runId: 'r1',
    projectId: 'p1',
    workspace: { kind: 'new' },
    prompt: 'run: echo hi',
    context: {},
  };

  it('fills the context defaults', () => {
    expect(runInputSchema.parse(input).context).toEqual({
      base_prompt: 'You are a precise code agent.',
      pattern_block: '',
      profile: 'batch',
    });
  });

  it.each(['../x', 'a/b', '.hidden', ''])('refuses the run id %j: ids name folders', (runId) => {
    const parsed = runInputSchema.safeParse({ ...input, runId });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error?.issues ?? [])).toMatch(/^runId: must be 1-64 letters/);
  });

  it('names each field at fault in one line', () => {
    const parsed = runInputSchema.safeParse({ ...input, prompt: '', workspace: { kind: 'clone' } });
    expect(describeIssues(parsed.error?.issues ?? [])).toBe(
      'workspace.source: Invalid input: expected string, received undefined; prompt: must not be empty',
    );
  });
});
