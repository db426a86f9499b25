export { ensureRepository, headCommit, type PrepareWorkspaceOptions, prepareWorkspace } from './create';
export { DEFAULT_DIFF_LIMITS, type DiffLimits, diffWorkspace, readFromTree, snapshotTree } from './diff';
export { forkWorkspace } from './fork';
export { git, gitText } from './git';
export { resolveWorkspaceInsideDataDir, WorkspaceError, workspacePath, workspacesRoot } from './paths';
