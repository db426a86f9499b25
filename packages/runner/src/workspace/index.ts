export { prepareWorkspace, type WorkspaceBase } from './create';
export {
  DEFAULT_DIFF_LIMITS,
  type DiffLimits,
  diffTrees,
  readFromTree,
  snapshotTree,
} from './diff';
export { type ForkStrategy, forkWorkspace } from './fork';
export { resolveWorkspaceInsideDataDir, workspaceFolder, workspacePath } from './paths';
