// A process that writes 8 MB and exits `delay` ms later, while the checkpoint thread copies
// that WAL into the database file: `node --import tsx exit-after-write.ts <dir> <delay>`.
import { join } from 'node:path';
import { createDb, migrate } from '../index';

const [dir = '', delay = '0'] = process.argv.slice(2);
const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
await migrate(db);
const text = 'x'.repeat(80_000);
await db.$client.batch(
  Array.from({ length: 100 }, (_, i) => ({
    sql: 'INSERT INTO projects (id, name, base_prompt, created_at, updated_at) VALUES (?, ?, ?, 0, 0)',
    args: [`p${delay}-${i}`, `p${delay}-${i}`, text],
  })),
  'write',
);
setTimeout(() => process.exit(0), Number(delay));
