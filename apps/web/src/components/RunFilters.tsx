import type { RouterInputs } from '@retrace/api';

type RunStatus = NonNullable<RouterInputs['runs']['list']['status']>;

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'canceled',
] as const satisfies readonly RunStatus[];

export function parseRunStatus(value: string | null): RunStatus | undefined {
  return RUN_STATUSES.find((status) => status === value);
}

/** A run list narrowed: to one status, and to prompts holding some words. */
export function RunFilters({
  status,
  onStatusChange,
  search,
  onSearchChange,
}: {
  status: RunStatus | undefined;
  onStatusChange: (status: RunStatus | undefined) => void;
  search: string;
  onSearchChange: (search: string) => void;
}) {
  return (
    <search className="run-filters">
      <input
        type="search"
        aria-label="Search prompts"
        placeholder="Search prompts"
        value={search}
        onChange={(e) => onSearchChange(e.target.value)}
      />
      <select
        aria-label="Status"
        value={status ?? ''}
        onChange={(e) => onStatusChange(parseRunStatus(e.target.value))}
      >
        <option value="">Any status</option>
        {RUN_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s[0]?.toUpperCase()}
            {s.slice(1)}
          </option>
        ))}
      </select>
    </search>
  );
}
