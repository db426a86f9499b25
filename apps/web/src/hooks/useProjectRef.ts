import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../lib/trpc';

/**
 * The project an address names, by id or by name as the CLI takes them (an id first): its id,
 * null when no project has that id or name, undefined while that is not known yet. The list
 * is read again on each visit: a project made a moment ago elsewhere is found, not refused.
 */
export function useProjectRef(ref: string): { id: string | null | undefined; error: unknown } {
  const trpc = useTRPC();
  const projects = useQuery(trpc.projects.list.queryOptions(undefined, { staleTime: 0 }));
  const found = projects.data?.find((p) => p.id === ref) ?? projects.data?.find((p) => p.name === ref);
  if (found) return { id: found.id, error: null };
  if (projects.error) return { id: undefined, error: projects.error };
  return { id: projects.data && !projects.isFetching ? null : undefined, error: null };
}
