import type { Client, InArgs, InStatement, TransactionMode } from '@libsql/client';

/**
 * Counts the writes through a client once each has landed: wraps its methods in place, so
 * drizzle and the event log, which both write through it, are counted alike. A select is no
 * write; anything else counts (a statement that changed nothing only costs a kept answer).
 * Counted after the call settles, never before: an answer computed from the database while
 * a write is under way is filed under the old count, which the write then leaves behind.
 */
export function countLandedWrites(client: Client, onLanded: () => void = () => {}): () => number {
  let landed = 0;
  // biome-ignore lint/suspicious/noExplicitAny: any call, its own parameters kept by F.
  const counted = <F extends (...args: any[]) => Promise<unknown>>(
    call: F,
    writes: (...args: Parameters<F>) => boolean,
  ): F =>
    (async (...args: Parameters<F>) => {
      try {
        return await call(...args);
      } finally {
        if (writes(...args)) {
          landed++;
          onLanded();
        }
      }
    }) as F;
  const always = () => true;

  client.execute = counted(client.execute.bind(client), (stmt) => !isSelect(stmt));
  client.batch = counted(
    client.batch.bind(client),
    (stmts, mode) => mode !== 'read' && !stmts.every(isSelect),
  );
  client.migrate = counted(client.migrate.bind(client), always);
  client.executeMultiple = counted(client.executeMultiple.bind(client), always);
  const transaction = client.transaction.bind(client);
  client.transaction = (async (mode?: TransactionMode) => {
    const tx = await transaction(mode);
    // Its writes land for other connections at commit, and only then.
    tx.commit = counted(tx.commit.bind(tx), always);
    return tx;
  }) as Client['transaction'];
  return () => landed;
}

function isSelect(stmt: InStatement | [string, InArgs?]): boolean {
  const sql = typeof stmt === 'string' ? stmt : Array.isArray(stmt) ? stmt[0] : stmt.sql;
  return /^\s*select\s/i.test(sql);
}
