// Plain-English TODO items the built-in planner can turn into experiments, by keyword. Each recipe is the
// seeds' research plan for that question (seed 002), written as arms against the canonical SGD baseline.
import type { QueueItem } from './planner.js';
import type { ArmDraft, SpecDraft } from './builtin-spec.js';

type Recipe = {
  /** Matched against the item's text, case-insensitive. */
  pattern: RegExp;
  draft: (item: QueueItem) => Omit<SpecDraft, 'id'>;
};

const sgd: ArmDraft = { name: 'sgd', overrides: {}, baseline: true };

const recipes: Recipe[] = [
  {
    pattern: /\bbaseline\b/i,
    draft: () => ({
      title: 'Canonical SGD baseline on 20-bit sparse parity',
      question: 'How fast does the canonical configuration (n=20, k=3, hidden 200, lr 0.1, wd 0.01, batch 32, hinge) solve 20-bit parity on our core?',
      hypothesis: 'It solves 5/5 seeds with a median of 28-49 epochs to solve, as in the seeds (33 epochs to 90%, 40 to solve).',
      rationale: 'Every other experiment is judged against this baseline; the seeds report it on numpy, and our core must reproduce it.',
      base: {},
      arms: [sgd],
      metric: 'solve_epoch',
    }),
  },
  {
    pattern: /weight[- ]decay|\bwd\b/i,
    draft: () => ({
      title: 'Weight-decay sweep at lr 0.1',
      question: 'Does more weight decay shorten the grokking plateau on 20-bit parity?',
      hypothesis: 'A larger wd than 0.01 reaches a solve in fewer epochs (seed 002, experiment 2).',
      rationale: 'Weight decay favours the sparse (generalizing) circuit over the dense memorizing one (Merrill et al. 2023).',
      base: {},
      arms: [{ name: 'wd=0.01', overrides: {}, baseline: true }, ...[0.001, 0.1, 1.0].map((wd) => ({ name: `wd=${wd}`, overrides: { wd } }))],
      metric: 'solve_epoch',
    }),
  },
  {
    pattern: /sign[- ]?sgd|\bsign\b/i,
    draft: () => ({
      title: 'Sign SGD against SGD',
      question: 'Does sign SGD (W -= lr * sign(g)) need fewer epochs to solve 20-bit parity than SGD?',
      hypothesis: 'Sign SGD at lr 0.01 solves in fewer epochs than SGD at lr 0.1 (Kou et al. 2024: it matches the SQ lower bound).',
      rationale: 'Normalizing gradient magnitudes helps the weak signal of the 3 secret bits against 17 noise bits.',
      base: {},
      arms: [sgd, { name: 'sign-sgd', overrides: { optimizer: 'sign-sgd', lr: 0.01 } }],
      metric: 'solve_epoch',
    }),
  },
  {
    pattern: /grokfast/i,
    draft: () => ({
      title: 'GrokFast (gradient EMA) against SGD',
      question: 'Does amplifying slow gradient components (GrokFast, alpha 0.98, lambda 2) make the phase transition sooner?',
      hypothesis: 'GrokFast solves in fewer epochs than SGD (Lee et al. 2024 report 2-10x).',
      rationale: 'The learning guide found GrokFast counterproductive once hyperparameters are right; this checks it on our core.',
      base: {},
      arms: [sgd, { name: 'grokfast', overrides: { optimizer: 'grokfast', grokfast_alpha: 0.98, grokfast_lambda: 2 } }],
      metric: 'solve_epoch',
    }),
  },
  {
    pattern: /logistic|cross[- ]entropy/i,
    draft: () => ({
      title: 'Logistic loss against hinge',
      question: 'Does a loss with a gradient on correctly classified samples (logistic) solve faster than hinge?',
      hypothesis: 'Logistic loss reaches 90% test accuracy in fewer epochs than hinge (seed 002, experiment 5).',
      rationale: 'Hinge stops contributing once a margin is reached; logistic keeps a continuous signal.',
      base: {},
      arms: [{ name: 'hinge', overrides: {}, baseline: true }, { name: 'logistic', overrides: { loss: 'logistic' } }],
      metric: 'epoch_90',
      secondary: ['solve_epoch', 'time_to_solve_ms'],
    }),
  },
  {
    pattern: /sparse sum|\bsum\b/i,
    draft: () => ({
      title: 'EGD against SGD on sparse sum (MSE, lr 0.1)',
      question: 'Is EGD robust where SGD at lr 0.1 diverges under MSE (seed 000, part 4)?',
      hypothesis: 'SGD solves 0/5 and EGD solves at least 4/5 seeds.',
      rationale: 'EGD removes gradient magnitude, so the MSE target scale cannot blow the step up.',
      base: { task: 'sum' },
      arms: [sgd, { name: 'egd', overrides: { optimizer: 'egd' } }],
      metric: 'solve_epoch',
    }),
  },
  {
    pattern: /\begd\b/i,
    draft: () => ({
      title: 'EGD against SGD on 20-bit parity',
      question: 'Does Egalitarian Gradient Descent shorten the grokking plateau, and is its wall time worth it?',
      hypothesis: 'EGD reaches 90% test accuracy in clearly fewer epochs than SGD (seed 000: 14 vs 33).',
      rationale: 'EGD sets every singular value of the gradient to 1, so all principal directions move at the same speed (arXiv:2510.04930).',
      base: {},
      arms: [sgd, { name: 'egd', overrides: { optimizer: 'egd' } }],
      metric: 'epoch_90',
      secondary: ['solve_epoch', 'time_to_solve_ms', 'elapsed_ms'],
    }),
  },
  {
    pattern: /single[- ]sample|batch size|mini-?batch/i,
    draft: () => ({
      title: 'Single-sample against mini-batch SGD',
      question: 'How do batch sizes 1, 8 and 32 compare in epochs and wall time to solve?',
      hypothesis: 'Single-sample SGD solves in far fewer epochs (seed 003: 5.2 vs 41) and less wall time.',
      rationale: 'Frequent updates find the phase transition sooner; batching mostly buys stability.',
      base: {},
      arms: [{ name: 'batch=32', overrides: {}, baseline: true }, { name: 'batch=8', overrides: { batch_size: 8 } }, { name: 'batch=1', overrides: { batch_size: 1 } }],
      metric: 'solve_epoch',
    }),
  },
  {
    pattern: /per-layer|fused|update order|\bard\b/i,
    draft: () => ({
      title: 'Update order and memory traffic',
      question: 'Which update order (standard, fused, per-layer) has the lowest weighted ARD, and at what cost in epochs?',
      hypothesis: 'Fused and per-layer lower weighted ARD (the learning guide: ~4% and ~9%) at no loss in solve rate.',
      rationale: 'Consuming gradients right after they are made shortens reuse distances; per-layer needs a re-forward with batches (seed 003).',
      base: {},
      arms: [{ name: 'standard', overrides: {}, baseline: true }, { name: 'fused', overrides: { order: 'fused' } }, { name: 'per-layer', overrides: { order: 'per-layer' } }],
      metric: 'weighted_ard',
      secondary: ['ard', 'dmc', 'energy_pj', 'solve_epoch'],
      track: true,
    }),
  },
  {
    pattern: /forward[- ]forward/i,
    draft: () => ({
      title: 'Forward-forward against backprop on a small network',
      question: 'Does forward-forward solve small parity problems, and what does it cost in memory traffic?',
      hypothesis: 'Forward-forward has much worse ARD than backprop (the learning guide: 25x) and a lower solve rate.',
      rationale: 'Two forward passes and a local objective per layer read each weight more often than backprop.',
      base: { n_bits: 10, k: 2, hidden: 50, n_train: 500, n_test: 200 },
      arms: [{ name: 'backprop', overrides: {}, baseline: true }, { name: 'forward-forward', overrides: { algorithm: 'forward-forward', lr: 0.01, optimizer: 'sign-sgd' } }],
      metric: 'best_test_acc',
      secondary: ['weighted_ard', 'energy_pj', 'solve_epoch'],
      track: true,
    }),
  },
];

/** The first recipe matching the item's text, or null. */
export function recipeFor(item: QueueItem): Omit<SpecDraft, 'id'> | null {
  const recipe = recipes.find((candidate) => candidate.pattern.test(item.text));
  return recipe ? recipe.draft(item) : null;
}

export function isBaselineItem(item: QueueItem): boolean {
  return recipes[0]!.pattern.test(item.text);
}
