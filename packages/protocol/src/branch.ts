import { z } from 'zod';
import { idSchema } from './run-input';

const person = z.object({ name: z.string().min(1), email: z.string().min(1) });

/** What the API asks a runner to make of a run's workspace: one commit on a new branch of the source repository. */
export const branchRequestSchema = z.object({
  projectId: idSchema,
  runId: idSchema,
  /** A local repository (absolute path): the branch is created there. */
  sourceRepo: z.string().min(1),
  branch: z.string().min(1),
  /** The commit the run's workspace started from: the new commit's parent. */
  baseCommit: z.string().regex(/^[0-9a-f]{40,64}$/, 'must be a commit id'),
  message: z.string().min(1),
  author: person,
  /** Also push the branch to the source repository's `origin`. */
  push: z.boolean(),
});
export type BranchRequest = z.infer<typeof branchRequestSchema>;

export interface BranchResult {
  branch: string;
  commit: string;
  /** The source repository's `origin` (credentials removed), or null when it has none. */
  remote: string | null;
  pushed: boolean;
  /** What git said when the push failed; the branch stays in place. */
  pushError: string | null;
}

/** Which workspaces to delete: a project's, or some of its runs'. */
export const removeWorkspacesSchema = z.object({
  projectId: idSchema,
  /** Absent: every workspace of the project. */
  runIds: z.array(idSchema).optional(),
});
export type RemoveWorkspacesRequest = z.infer<typeof removeWorkspacesSchema>;
