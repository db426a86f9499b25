export { prepareWorkspace, type WorkspaceBase } from './create';
export {
  DEFAULT_DIFF_LIMITS,
  type DiffLimits,
  diffTrees,
  diffWorkspace,
  readFromTree,
  snapshotTree,
} from './diff';
export { forkWorkspace } from './fork';
export { headCommit } from './git';
export { resolveWorkspaceInsideDataDir, workspaceFolder, workspacePath } from './paths';
