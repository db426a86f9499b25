export { closeDb, createDb, type Database } from './client';
export { isUniqueViolation } from './errors';
export { type HeldSelect, holdDataVersion, holdSelect } from './held-reads';
export { migrate } from './migrate';
export * from './schema/index';
