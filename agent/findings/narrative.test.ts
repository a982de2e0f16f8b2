import { describe, expect, it } from 'vitest';
import type { CrashedRun, ExperimentResults } from '../../core/index.js';
import { templateNarrative } from './narrative.js';
import { buildFixtureResults } from './test-helpers/fixture.js';

/** The fixture with egd's comparison turned into a non-significant one (p = 0.09, CI across 1). */
function inconclusiveResults(): ExperimentResults {
  const results = buildFixtureResults();
  const egd = results.summary.arms.find((arm) => arm.name === 'egd')!;
  egd.comparison = { ...egd.comparison!, ratio: 0.9, ratio_ci_low: 0.7, ratio_ci_high: 1.15, p_value: 0.0909 };
  egd.class = 'INCONCLUSIVE';
  egd.reasons = ['not_established'];
  results.summary.class = 'INCONCLUSIVE';
  return results;
}

describe('templateNarrative', () => {
  it('names the winning arm with its ratio, CI, p-value, solve rate and memory figures', () => {
    const narrative = templateNarrative(buildFixtureResults());
    const win = narrative.worked.join('\n');
    expect(win).toContain('egd (optimizer=egd) beats sgd');
    expect(win).toContain('median epochs to solve 21 vs 40 for sgd (0.53x [0.45, 0.60], p=0.008)');
    expect(win).toContain('solved 5/5');
    expect(win).toContain('ARD 12.3k floats');
    expect(win).toContain('energy 23.4 µJ');
  });

  it('reports the losing arm, its solve rate and its diverged run under what did not work', () => {
    const didnt = templateNarrative(buildFixtureResults()).didnt.join('\n');
    expect(didnt).toContain(
      'egd-lr0.005 (lr=0.005, optimizer=egd) is worse (it solved fewer seeds): median epochs to solve 150 vs 40 for sgd (3.75x [3.00, —], p=0.008); solved 3/5 vs 5/5 for sgd',
    );
    expect(didnt).toContain('Of 5 runs of egd-lr0.005, 1 diverged (seed 45: loss became NaN at epoch 60).');
  });

  it('never prints a censored median as a plain number: "> 200 (censored)"', () => {
    const results = buildFixtureResults();
    const sgd = results.summary.arms.find((arm) => arm.name === 'sgd')!;
    sgd.metrics.solve_epoch = { ...sgd.metrics.solve_epoch!, median: 200, median_censored: true };
    const win = templateNarrative(results).worked.join('\n');
    expect(win).toContain('vs > 200 (censored) for sgd');
    expect(win).not.toMatch(/vs 200 for sgd/);
  });

  it('notices that fewer epochs cost more wall time', () => {
    const surprise = templateNarrative(buildFixtureResults()).surprise.join('\n');
    expect(surprise).toMatch(/egd needs 0\.53x the epochs to solve of sgd but 2\.\d\dx its training time/);
  });

  it('asks a WIN to go one step further and to hold at 30 seeds, and a LOSS to try the other direction', () => {
    const questions = templateNarrative(buildFixtureResults()).open_questions;
    expect(questions[0]).toBe("Does egd's 0.53x on epochs to solve hold one step further: n_bits=30 or k=4?");
    expect(questions).toContain('Does it hold at 30 seeds (42-71)? With 5 per arm the ratio CI is [0.45, 0.60].');
    expect(questions.join('\n')).toContain(
      "Try the other direction: lr=0.005 lost (3.75x epochs to solve, solved 3/5); does lr=0.2 (above the baseline's 0.1) help?",
    );
    expect(questions.join('\n')).toContain('Would egd-lr0.005 solve with more epochs? 1 of 5 runs ended unsolved at max_epochs=200');
  });

  it('asks an INCONCLUSIVE result to rerun with 10 seeds, quoting its p-value', () => {
    const narrative = templateNarrative(inconclusiveResults());
    expect(narrative.open_questions).toContain('Rerun egd vs sgd with 10 seeds (42-51): p=0.09 with 5 seeds, ratio 0.90x [0.70, 1.15].');
    expect(narrative.didnt.join('\n')).toContain('egd (optimizer=egd) looked better but is not established');
    expect(narrative.worked.join('\n')).not.toContain('beats');
  });

  it('says every run crashed, with the message, when nothing trained', () => {
    const results = buildFixtureResults();
    for (const arm of results.arms) {
      arm.runs = arm.runs.map((run): CrashedRun => ({ seed: run.seed, status: 'crashed', message: 'worker exited with code 137', elapsed_ms: 5 }));
    }
    const narrative = templateNarrative(results);
    expect(narrative.didnt).toEqual(['Every run crashed (15 runs, seeds 42-46): worker exited with code 137.']);
    expect(narrative.open_questions[0]).toContain('worker exited with code 137');
  });
});
