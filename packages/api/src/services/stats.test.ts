import { describe, expect, it } from 'vitest';
import { median, wilsonInterval } from './stats';

describe('wilsonInterval', () => {
  it.each([
    [0, 3, 0, 0.5615],
    [3, 3, 0.4385, 1],
    [8, 10, 0.4902, 0.9433],
    [1, 2, 0.0945, 0.9055],
  ])('%i of %i: [%f, %f]', (successes, trials, low, high) => {
    const [l, h] = wilsonInterval(successes, trials);
    expect(l).toBeCloseTo(low, 3);
    expect(h).toBeCloseTo(high, 3);
  });

  it('knows nothing of no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

it('median', () => {
  expect(median([])).toBeNull();
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
});
