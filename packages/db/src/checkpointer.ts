import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The signal shared with the worker: [writes landed, stop, ended].
const LANDED = 0;
const STOP = 1;
const ENDED = 2;
/**
 * How long an exiting process waits for the worker to finish the call it is in. Cut short
 * inside a call into libsql, the worker aborts the whole process (a Rust assertion on the
 * pending termination), so `process.exit` ended a server with SIGABRT about once in 40 stops.
 */
const EXIT_WAIT_MS = 5000;
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
const signal = new Int32Array(workerData.signal);
let connection;
try {
  const Libsql = require(workerData.libsql);
  connection = new Libsql(workerData.path);
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
} finally {
  connection?.close();
  // No call into libsql from here on: an exiting process may cut the thread short.
  Atomics.store(signal, ${ENDED}, 1);
  Atomics.notify(signal, ${ENDED});
}
`;

/**
 * `process.exit` (the server's shutdown, a fatal error) ends a worker wherever it is: first
 * each live one is asked to stop, and given the time to leave libsql.
 */
const running = new Set<Int32Array>();
function holdExit(): void {
  for (const flags of running) askToStop(flags);
  const until = Date.now() + EXIT_WAIT_MS;
  for (const flags of running) Atomics.wait(flags, ENDED, 0, Math.max(0, until - Date.now()));
}

function wake(flags: Int32Array): void {
  Atomics.add(flags, LANDED, 1);
  Atomics.notify(flags, LANDED);
}

function askToStop(flags: Int32Array): void {
  Atomics.store(flags, STOP, 1);
  Atomics.notify(flags, STOP);
  wake(flags);
}

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
  const signal = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
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
  running.add(flags);
  if (running.size === 1) process.once('exit', holdExit);
  const ended = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      running.delete(flags);
      if (running.size === 0) process.off('exit', holdExit);
      fail(new Error(`the checkpoint thread exited (code ${code})`));
      resolve();
    }),
  );
  return {
    landed() {
      if (!stopped) wake(flags);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      askToStop(flags);
    },
    ended,
  };
}
