/**
 * When a long-running local process should stop: Ctrl-C (SIGINT), SIGTERM, a closed terminal
 * (SIGHUP), or its parent gone. The last one covers `npm start` when npm itself dies without
 * passing a signal on (npm forwards only SIGINT and SIGTERM; a SIGHUP or SIGKILL to npm alone
 * leaves its child running, reparented): the parent process id then changes.
 */

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How often the parent is checked: a cheap system call, and a stop well within a second. */
const PARENT_POLL_MS = 250;
export type StopReason = (typeof STOP_SIGNALS)[number] | 'parent exited';

export interface StopRequests {
  /** Resolves with the first reason to stop. */
  readonly requested: Promise<StopReason>;
  /** The first reason so far, if any. */
  reason(): StopReason | undefined;
}

/**
 * Watches for the reasons to stop, for the rest of the process's life: one Ctrl-C can arrive twice
 * (from the terminal, and relayed by npm), and a second signal must not kill the process before its
 * shutdown has finished.
 */
export function watchStopRequests(): StopRequests {
  let reason: StopReason | undefined;
  let resolve: (reason: StopReason) => void = () => undefined;
  const requested = new Promise<StopReason>((done) => (resolve = done));
  const stop = (why: StopReason) => {
    if (reason !== undefined) return;
    reason = why;
    clearInterval(timer);
    resolve(why);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) stop('parent exited');
  }, PARENT_POLL_MS);
  timer.unref();
  return { requested, reason: () => reason };
}
