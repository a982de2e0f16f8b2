// The experiment runner's parallel speed-up: one 10-run experiment (2 arms x 5 seeds, canonical config)
// through runJobs on 1 worker and on every core, alternating, median wall time of a few repeats each.
import { defaultWorkerCount, runJobs } from '../agent/io/worker-pool.js';
import type { TrainJob } from '../agent/io/train-worker.js';
import { parseTrainConfig, type TrainConfigInput } from '../core/index.js';
import { benchSeeds, median } from './measure.js';

export type RunnerSpeedup = {
  arms: TrainConfigInput[];
  runs: number;
  workers: number;
  repeats: number;
  one_worker_ms: number;
  all_workers_ms: number;
  speedup: number;
  /**
   * The runs' own training times added up (from their results), median over repeats, with 1 worker and with all:
   * when all-workers is higher, runs slowed each other down (CPU shared with other work, or each worker thread
   * compiling the kernels afresh), which the scheduling cannot recover.
   */
  summed_run_ms_one_worker: number;
  summed_run_ms_all_workers: number;
};

export async function measureRunnerSpeedup(arms: TrainConfigInput[] = [{}, { optimizer: 'egd' }], repeats = 3): Promise<RunnerSpeedup> {
  const jobs: TrainJob[] = arms.flatMap((arm) => benchSeeds.map((seed) => ({ config: parseTrainConfig(arm), seed, track: false, timeLimitMs: 60_000 })));
  const workers = defaultWorkerCount();
  const summed: Record<'one' | 'all', number[]> = { one: [], all: [] };
  const time = async (count: number, into: number[] = []) => {
    const start = performance.now();
    const runs = await runJobs(jobs, { workers: count });
    const wall = performance.now() - start;
    const failed = runs.filter((run) => run.status === 'crashed' || run.status === 'timeout');
    if (failed.length)
      throw new Error(
        `bench/runner-speedup.ts: ${failed.length} of ${runs.length} runs failed (${JSON.stringify(failed[0])}); fix the runner before timing it`,
      );
    into.push(runs.reduce((sum, run) => sum + run.elapsed_ms, 0));
    return wall;
  };
  await time(workers); // warm-up: thread start, module load, first compilation
  const one: number[] = [];
  const all: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    one.push(await time(1, summed.one));
    all.push(await time(workers, summed.all));
  }
  const oneMedian = median(one);
  const allMedian = median(all);
  return {
    arms,
    runs: jobs.length,
    workers,
    repeats,
    one_worker_ms: oneMedian,
    all_workers_ms: allMedian,
    speedup: oneMedian / allMedian,
    summed_run_ms_one_worker: median(summed.one),
    summed_run_ms_all_workers: median(summed.all),
  };
}
