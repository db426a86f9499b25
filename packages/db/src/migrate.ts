import { fileURLToPath } from 'node:url';
import { migrate as runMigrations } from 'drizzle-orm/libsql/migrator';
import type { Database } from './client';

/** The top-level `drizzle/` folder that `npm run db:generate` writes. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** Brings the schema up to date; idempotent, safe to call at every start. */
export async function migrate(db: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  await runMigrations(db, { migrationsFolder });
}
