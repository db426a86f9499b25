import { branchRun } from './branch-command';
import type { Command } from './command';
import { runExperiment } from './experiment';
import { createProject, listPatterns, listProjects, listRuns } from './project-commands';
import { cancelRun, retryRun, reviewRun, showPattern, showRun, startRun } from './run-commands';

/** Every command, in the order `retrace --help` lists them. */
export const COMMANDS: readonly Command[] = [
  listProjects,
  createProject,
  listRuns,
  startRun,
  retryRun,
  showRun,
  branchRun,
  showPattern,
  listPatterns,
  reviewRun,
  runExperiment,
  cancelRun,
];
