import { describe, expect, it } from 'vitest';
import { issueSentence } from './errors';

describe('an API refusal, as the CLI says it', () => {
  it('lets a sentence about a run stand alone, and names other fields as the user typed them', () => {
    const failed = 'run #5 did not succeed (failed); only successful runs can be learned from';
    for (const field of ['learnFromRunIds', 'runIds', 'arms.1.learnFromRunIds'])
      expect(issueSentence({ field, message: failed })).toBe(failed);
    expect(issueSentence({ field: 'sourceRepo', message: 'must be a git URL' })).toBe(
      '--source: must be a git URL',
    );
    expect(issueSentence({ field: 'arms.1.learnFromRunIds', message: 'at most 8 runs' })).toBe(
      '--learn-from: at most 8 runs',
    );
    expect(issueSentence({ field: 'arms.0.name', message: '"with" names another arm already' })).toBe(
      '"with" names another arm already',
    );
  });
});
