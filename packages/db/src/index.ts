export { type CreateDbOptions, createDb, type Database } from './client';
export { MIGRATIONS_FOLDER, migrate } from './migrate';
export * from './schema/index';
