// Progress of an experiment: one updating line on a terminal, plain lines otherwise.
import type { PoolProgress } from '../io/worker-pool.js';

export type ProgressSink = { isTTY: boolean; write: (text: string) => void; now: () => number };

export function createProgressReporter(sink: ProgressSink, total: number): (progress: PoolProgress) => void {
  const started = sink.now();
  return ({ done, job, run }) => {
    const elapsed = (sink.now() - started) / 1000;
    const remaining = done > 0 ? (elapsed / done) * (total - done) : 0;
    const outcome =
      run.status === 'crashed' ? `CRASHED (${run.message})` : run.solved ? `solved at epoch ${run.solve_epoch ?? run.epochs}` : `${run.status}, not solved`;
    if (sink.isTTY) {
      const line = `runs ${done}/${total}  elapsed ${elapsed.toFixed(1)}s  remaining ~${remaining.toFixed(1)}s`;
      sink.write(`\r${line.padEnd(70)}${done === total ? '\n' : ''}`);
    } else {
      sink.write(`[${done}/${total}] ${job.config.optimizer} seed ${job.seed}: ${outcome} (${elapsed.toFixed(1)}s elapsed, ~${remaining.toFixed(1)}s left)\n`);
    }
  };
}
