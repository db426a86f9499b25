/**
 * Applies `map` to every string inside a JSON-like value. What `map` leaves as it was comes
 * back as it was, not copied: most of a run's output needs no change. Walked without
 * building entry arrays for each object: every step of a run passes through here.
 */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const mapped = mapStrings(value[i], map);
      if (mapped === value[i]) continue;
      copy ??= value.slice();
      copy[i] = mapped;
    }
    return (copy ?? value) as T;
  }
  if (value && typeof value === 'object') {
    let copy: Record<string, unknown> | null = null;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const mapped = mapStrings(record[key], map);
      if (mapped === record[key]) continue;
      copy ??= { ...record };
      copy[key] = mapped;
    }
    return (copy ?? value) as T;
  }
  return value;
}
