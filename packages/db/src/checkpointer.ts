import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The signal shared with the worker: [writes landed, stop].
const LANDED = 0;
const STOP = 1;
/**
 * The least time between two checkpoints. Each one syncs the database file: after every
 * write, a run's many small ones would each cost a sync, where SQLite's own waits for 1,000
 * pages. In a burst, each checkpoint takes all the WAL gathered since the last.
 */
const MIN_INTERVAL_MS = 200;

/**
 * The worker's whole program, as a CommonJS script: evaluated, it runs the same under tsx,
 * vitest and the server's bundle, with no file of its own to find. It sleeps until a write
 * lands, then copies what the WAL holds into the database file (a PASSIVE checkpoint never
 * waits for, nor blocks, the writer or a reader) and syncs it, then rests (unless stopped).
 */
const PROGRAM = `
const { workerData } = require('node:worker_threads');
const Libsql = require(workerData.libsql);
const signal = new Int32Array(workerData.signal);
const connection = new Libsql(workerData.path);
let seen = 0;
while (Atomics.load(signal, ${STOP}) === 0) {
  Atomics.wait(signal, ${LANDED}, seen);
  seen = Atomics.load(signal, ${LANDED});
  if (Atomics.load(signal, ${STOP}) !== 0) break;
  // Busy while another checkpoint runs (another server on the file): the next write tries
  // again, as SQLite's own checkpoint in a commit would.
  try {
    connection.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
  Atomics.wait(signal, ${STOP}, 0, ${MIN_INTERVAL_MS});
}
connection.close();
`;

export interface Checkpointer {
  /** A write landed: the WAL may have grown. */
  landed(): void;
  /** Asks the worker to finish; it closes its connection and ends on its own. */
  stop(): void;
  /** Settles once the worker has ended. */
  ended: Promise<void>;
}

/**
 * Checkpoints a WAL database on a thread of its own. SQLite's automatic checkpoint runs in
 * the commit that crosses its threshold: on the writer's thread, the server's only one,
 * where copying a large run's output into the database file and syncing it held up every
 * request and the run's own next write. The writer's connection has it turned off while
 * this runs; `onFailure` turns it back on should the worker fail.
 */
export function startCheckpointer(path: string, onFailure: (error: Error) => void): Checkpointer {
  const signal = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const flags = new Int32Array(signal);
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { path, signal, libsql: createRequire(import.meta.url).resolve('libsql') },
  });
  // Never what keeps a process alive: the database file is whole without it.
  worker.unref();
  let stopped = false;
  const fail = (error: Error) => {
    if (stopped) return;
    stopped = true;
    onFailure(error);
  };
  worker.once('error', fail);
  const ended = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      fail(new Error(`the checkpoint thread exited (code ${code})`));
      resolve();
    }),
  );
  const wake = () => {
    Atomics.add(flags, LANDED, 1);
    Atomics.notify(flags, LANDED);
  };
  return {
    landed() {
      if (!stopped) wake();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      Atomics.store(flags, STOP, 1);
      Atomics.notify(flags, STOP);
      wake();
    },
    ended,
  };
}
