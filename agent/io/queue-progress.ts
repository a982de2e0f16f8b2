// Progress of an experiment across machines: runs done / total, which workers did them, estimated time left.

export type QueueTally = {
  done: number;
  total: number;
  /** Runs found already finished on the queue (a resumed or repeated experiment): not counted in the rate. */
  reused: number;
  byWorker: Map<string, number>;
  /** Workers connected to the queue at the last look. */
  connected: string[];
  /** performance.now() when the experiment was put on the queue. */
  started: number;
};

export function formatQueueProgress(tally: QueueTally, now: number): string {
  const elapsedSeconds = (now - tally.started) / 1000;
  const fresh = tally.done - tally.reused;
  const left = tally.total - tally.done;
  const remaining = fresh > 0 ? `~${((elapsedSeconds / fresh) * left).toFixed(1)} s left` : 'time left unknown';
  const workers = [...tally.byWorker].map(([name, runs]) => `${name} ${runs}`).join(', ') || 'none yet';
  return `queue: runs ${tally.done}/${tally.total} (by worker: ${workers}; ${tally.connected.length} connected), ${elapsedSeconds.toFixed(1)} s elapsed, ${remaining}`;
}
