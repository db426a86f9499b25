/**
 * Applies `map` to every string inside a JSON-like value. What `map` leaves as it was comes
 * back as it was, not copied: most of a run's output needs no change.
 */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) {
    const mapped = value.map((v) => mapStrings(v, map));
    return (mapped.some((v, i) => v !== value[i]) ? mapped : value) as T;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const mapped = entries.map(([k, v]) => [k, mapStrings(v, map)] as const);
    return (mapped.some(([, v], i) => v !== entries[i]?.[1]) ? Object.fromEntries(mapped) : value) as T;
  }
  return value;
}
