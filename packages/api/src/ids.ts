import { monotonicFactory } from 'ulid';

// Monotonic: ids made in the same millisecond still sort in creation order.
const nextUlid = monotonicFactory();

/** `proj_01jh…`: sortable by creation time, safe as a folder name. */
export const newProjectId = () => `proj_${nextUlid().toLowerCase()}`;
export const newRunId = () => `run_${nextUlid().toLowerCase()}`;
export const newArtifactId = () => `art_${nextUlid().toLowerCase()}`;
export const newPatternId = () => `pat_${nextUlid().toLowerCase()}`;
export const newExperimentId = () => `exp_${nextUlid().toLowerCase()}`;
