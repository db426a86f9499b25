import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTRPC } from '../lib/trpc';

/** A link to another run, by its number ("#3"), looked up through the query cache. */
export function RunRef({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.runs.get.queryOptions({ id }, { staleTime: Number.POSITIVE_INFINITY }));
  return <Link to={`/runs/${id}`}>{run.data ? `#${run.data.number}` : id.slice(-6)}</Link>;
}
