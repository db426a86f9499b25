import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { formErrors } from './errors';

const refusal = (message: string, issues: Array<{ field: string; message: string }>) =>
  new TRPCClientError(message, { result: { error: { message, code: -32600, data: { issues } } } } as never);

describe('formErrors', () => {
  it('puts each message at the field the form shows, and the rest in one line', () => {
    const error = refusal('prompt: empty; arms.1.learnFromRunIds: run #5 did not succeed', [
      { field: 'prompt', message: 'empty' },
      { field: 'arms.1.learnFromRunIds', message: 'run #5 did not succeed' },
    ]);
    expect(formErrors(error, ['prompt', 'attempts'])).toEqual({
      issues: { prompt: 'empty' },
      other: 'arms.1.learnFromRunIds: run #5 did not succeed',
    });
  });

  it('shows an error that names no field as it is, and nothing when there is none', () => {
    expect(formErrors(new Error('the server is gone'), ['prompt'])).toEqual({
      issues: {},
      other: 'the server is gone',
    });
    expect(formErrors(refusal('x', [{ field: 'prompt', message: 'empty' }]), ['prompt']).other).toBeNull();
    expect(formErrors(null, ['prompt'])).toEqual({ issues: {}, other: null });
  });
});
