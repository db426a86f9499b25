import { useQuery } from '@tanstack/react-query';
import { oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { Field } from './Field';

/** "Continue workspace from": any run of the project, or none for a fresh workspace. */
export function FromRunField({
  projectId,
  open,
  value,
  onChange,
  error,
  hint,
}: {
  projectId: string;
  /** Whether the dialog is open: the runs are read fresh each time it opens. */
  open: boolean;
  value: string;
  onChange: (runId: string) => void;
  error: string | undefined;
  hint: string;
}) {
  const trpc = useTRPC();
  const runs = useQuery(
    trpc.runs.list.queryOptions({ projectId, limit: 100 }, { enabled: open, staleTime: 0 }),
  );
  return (
    <Field label="Continue workspace from" error={error} hint={hint}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">none (a fresh workspace)</option>
          {runs.data?.items.map((run) => (
            <option key={run.id} value={run.id}>
              #{run.number} {run.status} · {oneLine(run.prompt, 50)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
