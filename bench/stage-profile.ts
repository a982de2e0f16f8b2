// Where one epoch's time goes, timed inside the real training loop: a probe (the tracker's stage hook) that reads
// the clock at every stage begin / end of train(), so there is no second copy of the loop to drift from it.
// Stages: gather, forward, loss, backward, transform (the optimizer's gradient transform: EGD's orthogonalization,
// sign, GrokFast), update (p <- p - lr (g + wd p)) and evaluate; 'outside stages' is the rest of the loop (shuffle).
import { parseTrainConfig, stageNames, train, type MemoryReport, type Stage, type Tracker, type TrainConfigInput } from '../core/index.js';

/** Sums the wall time between each stage's begin and end; measures no memory traffic. */
export class StageTimer implements Tracker {
  readonly totals = Object.fromEntries(stageNames.map((stage) => [stage, 0])) as Record<Stage, number>;
  private openedAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  read(): void {}
  write(): void {}
  report(): MemoryReport | undefined {
    return undefined;
  }

  begin(): void {
    this.openedAt = this.now();
  }

  end(stage: Stage): void {
    this.totals[stage] += this.now() - this.openedAt;
  }
}

export type StageProfile = {
  config: TrainConfigInput;
  seed: number;
  epochs: number;
  /** Mean ms per epoch of each stage, of the rest of the loop, and of the whole loop (train()'s elapsed_ms). */
  ms_per_epoch: Record<Stage, number> & { outside_stages: number; total: number };
};

/** One training run (to solve or maxEpochs) of the config with the stage timer as its tracker. */
export function profileStages(configInput: TrainConfigInput = {}, seed = 42, maxEpochs = 200): StageProfile {
  const config = parseTrainConfig(configInput);
  const timer = new StageTimer();
  const result = train({ ...config, max_epochs: Math.min(maxEpochs, config.max_epochs) }, seed, { tracker: timer, now: () => performance.now() });
  const perEpoch = (ms: number) => ms / result.epochs;
  const staged = Object.values(timer.totals).reduce((sum, ms) => sum + ms, 0);
  const stages = Object.fromEntries(stageNames.map((stage) => [stage, perEpoch(timer.totals[stage])])) as Record<Stage, number>;
  return {
    config: configInput,
    seed,
    epochs: result.epochs,
    ms_per_epoch: { ...stages, outside_stages: perEpoch(Math.max(0, result.elapsed_ms - staged)), total: perEpoch(result.elapsed_ms) },
  };
}
