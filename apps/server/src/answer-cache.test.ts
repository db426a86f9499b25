import { describe, expect, it } from 'vitest';
import { createAnswerCache } from './answer-cache';

describe('createAnswerCache', () => {
  it('gives back an answer filed under the version asked for, none under another', () => {
    let version = 1;
    const cache = createAnswerCache({ version: () => version });
    expect(cache.get('runs.get?a', cache.version())).toBeUndefined();
    cache.set('runs.get?a', 1, '{"a":1}');
    expect(cache.get('runs.get?a', cache.version())).toBe('{"a":1}');
    version = 2;
    expect(cache.get('runs.get?a', cache.version())).toBeUndefined();
    // Once the database changed, even going back to the old number keeps nothing from before.
    version = 1;
    expect(cache.get('runs.get?a', cache.version())).toBeUndefined();
  });

  it('files nothing computed at a version that has since passed', () => {
    let version = 1;
    const cache = createAnswerCache({ version: () => version });
    const at = cache.version();
    cache.get('k', at);
    version = 2;
    cache.get('other', cache.version());
    cache.set('k', at, 'computed before the write');
    expect(cache.get('k', cache.version())).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest, and no answer above maxBodyChars', () => {
    const cache = createAnswerCache({ version: () => 7, maxEntries: 2, maxBodyChars: 4 });
    cache.get('x', 7);
    cache.set('a', 7, '1');
    cache.set('b', 7, '2');
    cache.set('c', 7, '3');
    cache.set('big', 7, '12345');
    expect(['a', 'b', 'c', 'big'].map((key) => cache.get(key, 7))).toEqual([undefined, '2', '3', undefined]);
  });
});
