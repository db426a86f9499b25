export { createDb, type Database } from './client';
export { isUniqueViolation } from './errors';
export { migrate } from './migrate';
export * from './schema/index';
