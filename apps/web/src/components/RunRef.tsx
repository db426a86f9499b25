import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTRPC } from '../lib/trpc';

/**
 * A link to another run, by its number ("#3"): the number given (a list at hand has it), or
 * looked up through the query cache.
 */
export function RunRef({ id, number }: { id: string; number?: number | undefined }) {
  const trpc = useTRPC();
  const run = useQuery(
    trpc.runs.get.queryOptions(
      { id },
      { staleTime: Number.POSITIVE_INFINITY, enabled: number === undefined },
    ),
  );
  const known = number ?? run.data?.number;
  return <Link to={`/runs/${id}`}>{known === undefined ? id.slice(-6) : `#${known}`}</Link>;
}
