/** Input limits: a request past them is refused with a message naming the field. */
export const LIMITS = {
  nameLength: 120,
  basePromptLength: 20_000,
  promptLength: 100_000,
  commandLength: 4_000,
  sourceRepoLength: 2_000,
  branchNameLength: 200,
  searchLength: 500,
  pageSize: 100,
  patternSources: 10,
  noteLength: 2_000,
  experimentAttempts: 10,
  experimentArms: 4,
} as const;

/** How much of a step's payload travels inside live events; the full payload stays in `runs.steps`. */
export const EVENT_PAYLOAD_PREVIEW_CHARS = 16_000;
