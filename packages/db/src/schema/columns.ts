import { integer } from 'drizzle-orm/sqlite-core';

/** Milliseconds since the epoch: JSON-safe, sortable, the same in SQL, tRPC and the browser. */
export const createdAt = () =>
  integer()
    .notNull()
    .$defaultFn(() => Date.now());

export const updatedAt = () =>
  integer()
    .notNull()
    .$defaultFn(() => Date.now())
    .$onUpdateFn(() => Date.now());
