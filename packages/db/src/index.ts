export { type CreateDbOptions, createDb, type Database } from './client';
export { isUniqueViolation } from './errors';
export { MIGRATIONS_FOLDER, migrate } from './migrate';
export * from './schema/index';
