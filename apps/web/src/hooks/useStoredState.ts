import { useState } from 'react';

/** A choice of the reader's (a view, a width) kept in this browser across pages and reloads. */
export function useStoredState<T extends string>(
  key: string,
  allowed: readonly T[],
  fallback: T,
): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    const stored = localStorage.getItem(key);
    return allowed.find((v) => v === stored) ?? fallback;
  });
  const store = (next: T) => {
    setValue(next);
    localStorage.setItem(key, next);
  };
  return [value, store];
}
