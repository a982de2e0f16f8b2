// A narrative written from the numbers alone, for when no planner wrote one (and for the built-in planner):
// which arm, by how much, with what p, solve rates, failures, memory figures; open questions from the statistics.
import type { ExperimentResults, RunResult } from '../../core/index.js';
import type { Narrative } from '../domain.js';
import { describeFailures, isTrainingRun, medianOf } from './arm-stats.js';
import { describeChanges } from './config-diff.js';
import { formatCount, formatEnergy, formatMilliseconds, formatPercent, formatRatio, formatSeeds } from './format.js';
import { suggestOpenQuestions } from './open-questions.js';
import { renderArmReason } from './verdict-text.js';
import { effectText, metricPhrase, narrativeContext, solvedText, wallTimeRatio, type ArmContext, type NarrativeContext } from './narrative-context.js';

/** Wall-time ratios beyond these are worth a sentence. */
const NOTABLE_SLOWER = 1.25;
const NOTABLE_FASTER = 0.8;
/** A per-epoch weight-movement ratio beyond this (either way) is worth a sentence. */
const NOTABLE_MOVEMENT_RATIO = 3;

function memoryText(arm: ArmContext, baseline: ArmContext | undefined): string {
  const memory = arm.stats.memory;
  if (!memory) return '';
  const base = baseline?.stats.memory;
  const energyRatio = base?.energyPj && memory.energyPj !== null ? `, ${formatRatio(memory.energyPj / base.energyPj)} the baseline's energy` : '';
  return `; memory (median): ARD ${formatCount(memory.ard, 'floats')}, DMC ${formatCount(memory.dmc)}, energy ${formatEnergy(memory.energyPj)}${energyRatio}`;
}

function changeText(arm: ArmContext): string {
  return arm.changes.length > 0 ? ` (${describeChanges(arm.changes)})` : '';
}

/** "Of 5 runs of egd-lr0.005, 1 diverged (seed 45: loss became NaN at epoch 60)", or '' when none failed. */
function failureText(arm: ArmContext): string {
  const failures = describeFailures(arm.stats);
  if (!failures) return '';
  const firstFailure = arm.runs.runs.find((run) => run.status !== 'ok');
  const message = firstFailure && 'message' in firstFailure && firstFailure.message ? ` (seed ${firstFailure.seed}: ${firstFailure.message})` : '';
  return `Of ${arm.summary.runs} runs of ${arm.name}, ${failures}${message}.`;
}

/** ||w_t - w_0||_1 at the last epoch divided by the epochs run: how fast the weights travel, per run. */
function movementPerEpoch(arm: ArmContext): number | null {
  const trained = arm.runs.runs.filter(isTrainingRun).filter((run): run is RunResult => run.history.length > 0);
  return medianOf(trained.map((run) => run.history[run.history.length - 1]!.weight_movement_l1 / run.history.length));
}

function worked(context: NarrativeContext): string[] {
  const lines: string[] = [];
  const { baseline } = context;
  const wins = context.others.filter((arm) => arm.summary.class === 'WIN');
  for (const arm of wins) {
    lines.push(
      `${arm.name}${changeText(arm)} beats ${baseline?.name ?? 'the baseline'}: ${effectText(context, arm)}; ${solvedText(arm)}${memoryText(arm, baseline)}.`,
    );
  }
  for (const arm of context.others.filter((other) => other.summary.class !== 'WIN' && baseline && other.summary.solve_rate > baseline.summary.solve_rate)) {
    lines.push(
      `${arm.name} ${solvedText(arm)} where ${baseline!.name} solved ${baseline!.summary.solved}/${baseline!.summary.runs}, though ${effectText(context, arm)} is not a win.`,
    );
  }
  if (baseline && context.others.length === 0 && baseline.summary.solved > 0) {
    lines.push(
      `The baseline ${baseline.name} ${solvedText(baseline)}, ${effectText({ ...context, baseline: undefined }, baseline)}${memoryText(baseline, undefined)}.`,
    );
  }
  return lines;
}

function didnt(context: NarrativeContext): string[] {
  const lines: string[] = [];
  const { baseline } = context;
  for (const arm of context.others) {
    const versus = baseline ? ` vs ${baseline.summary.solved}/${baseline.summary.runs} for ${baseline.name}` : '';
    if (arm.summary.class === 'LOSS') {
      const fewerSolved = baseline && arm.summary.solve_rate < baseline.summary.solve_rate ? ' (it solved fewer seeds)' : '';
      lines.push(`${arm.name}${changeText(arm)} is worse${fewerSolved}: ${effectText(context, arm)}; ${solvedText(arm)}${versus}.`);
    }
    if (arm.summary.class === 'INCONCLUSIVE') {
      const verdict = arm.summary.comparison?.better ? 'looked better but is not established' : 'showed no clear difference';
      lines.push(`${arm.name}${changeText(arm)} ${verdict}: ${effectText(context, arm)}; ${solvedText(arm)}${versus}.`);
    }
    if (arm.summary.class === 'INVALID') lines.push(`${arm.name} cannot be judged (INVALID): ${renderArmReason(arm.summary)}.`);
  }
  for (const arm of [...(baseline ? [baseline] : []), ...context.others]) {
    const failures = failureText(arm);
    if (failures) lines.push(failures);
  }
  return lines;
}

function surprise(context: NarrativeContext): string[] {
  const lines: string[] = [];
  const { baseline, metric } = context;
  if (!baseline) return lines;
  const timeMetric = metric === 'time_to_solve_ms' || metric === 'elapsed_ms';
  for (const arm of context.others) {
    const better = arm.summary.comparison?.better ?? false;
    const timeRatio = wallTimeRatio(arm, baseline);
    const times = `median ${formatMilliseconds(arm.stats.medianElapsedMs)} vs ${formatMilliseconds(baseline.stats.medianElapsedMs)}`;
    if (!timeMetric && timeRatio !== null && better && timeRatio >= NOTABLE_SLOWER) {
      lines.push(
        `${arm.name} needs ${formatRatio(arm.summary.comparison?.ratio)} the ${metricPhrase(metric)} of ${baseline.name} but ${formatRatio(timeRatio)} its training time (${times}): each epoch costs more than the epochs saved.`,
      );
    }
    if (!timeMetric && timeRatio !== null && !better && timeRatio <= NOTABLE_FASTER && arm.summary.solved > 0) {
      lines.push(`${arm.name} is no better on ${metricPhrase(metric)} yet trains in ${formatRatio(timeRatio)} the time of ${baseline.name} (${times}).`);
    }
    const armMovement = movementPerEpoch(arm);
    const baseMovement = movementPerEpoch(baseline);
    if (armMovement !== null && baseMovement) {
      const movementRatio = armMovement / baseMovement;
      if (movementRatio >= NOTABLE_MOVEMENT_RATIO || movementRatio <= 1 / NOTABLE_MOVEMENT_RATIO) {
        lines.push(
          `${arm.name}'s weights travel ${formatRatio(movementRatio)} as far per epoch as ${baseline.name}'s (median ||w_t - w_0||_1 per epoch ${formatCount(armMovement)} vs ${formatCount(baseMovement)}).`,
        );
      }
    }
  }
  if (baseline.summary.solve_rate < 1 && baseline.summary.runs > 0) {
    lines.push(
      `The baseline ${baseline.name} itself ${solvedText(baseline)} (mean best accuracy ${formatPercent(baseline.summary.mean_best_test_acc)}), so it is a weak reference.`,
    );
  }
  return lines;
}

/** A narrative from the statistics alone; every number in it comes from the results file. */
export function templateNarrative(results: ExperimentResults): Narrative {
  const context = narrativeContext(results);
  if (results.arms.every((arm) => arm.runs.every((run) => run.status === 'crashed'))) {
    const message = results.arms.flatMap((arm) => arm.runs).find((run) => 'message' in run && run.message);
    const detail = message && 'message' in message ? `: ${message.message}` : '';
    return {
      worked: [],
      didnt: [`Every run crashed (${results.arms.reduce((sum, arm) => sum + arm.runs.length, 0)} runs, seeds ${formatSeeds(results.spec.seeds)})${detail}.`],
      surprise: [],
      open_questions: [`What makes the runs crash${detail}? Fix it and rerun ${results.id}.`],
    };
  }
  return { worked: worked(context), didnt: didnt(context), surprise: surprise(context), open_questions: suggestOpenQuestions(context) };
}
