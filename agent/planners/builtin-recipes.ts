// Plain-English TODO items the built-in planner can turn into experiments, by keyword. Each recipe is the
// seeds' research plan for that question (seeds 000-004), as arms against the canonical SGD baseline; a
// problem size in the text ("n=30", "k=5", "30-bit") moves the recipe to that size.
import type { TrainConfigInput } from '../../core/index.js';
import type { ArmDraft, SpecDraft } from './builtin-spec.js';
import type { QueueItem, SearchSpace } from '../domain.js';

export type RecipeDraft = Omit<SpecDraft, 'id'>;
export type RecipeMatch = { recipe: string; draft: RecipeDraft };

type Size = { n_bits?: number; k?: number };
type Recipe = {
  name: string;
  /** Matched against the item's text, case-insensitive. */
  pattern: RegExp;
  draft: (size: Size) => RecipeDraft;
  /** False for tasks without a bit count (modular arithmetic): a size in the text does not apply. */
  sized?: boolean;
};

const sgd: ArmDraft = { name: 'sgd', overrides: {}, baseline: true };
const canonicalSize = { n_bits: 20, k: 3 };

/** First match wins, so the more specific patterns come first (sparse sum and modular arithmetic name EGD too). */
const recipes: Recipe[] = [
  {
    // A line that starts by naming the baseline lists its config too ("wd 0.01"): it is not a sweep.
    name: 'baseline',
    pattern: /^\s*(the\s+)?(canonical\s+)?(sgd\s+)?baseline\b/i,
    draft: () => canonicalBaselineDraft(),
  },
  {
    name: 'egd-sparse-sum',
    pattern: /sparse sum|\bsum\b/i,
    draft: (size) => ({
      title: 'EGD against SGD on sparse sum (MSE, lr 0.1)',
      question: 'Is EGD robust where SGD at lr 0.1 diverges under MSE (seed 000, part 4)?',
      hypothesis: 'SGD solves 0/5 and EGD solves at least 4/5 seeds.',
      rationale: 'EGD removes gradient magnitude, so the MSE target scale cannot blow the step up.',
      base: { task: 'sum', ...size },
      arms: [sgd, { name: 'egd', overrides: { optimizer: 'egd' } }],
      metric: 'solve_epoch',
    }),
  },
  {
    name: 'egd-modular',
    pattern: /modular|\bmod[- ]?(add|mul)|\bmod \d+/i,
    sized: false,
    draft: () => ({
      title: 'EGD against SGD on modular addition (p=97)',
      question: 'Does EGD remove the grokking plateau on modular addition mod 97, as the EGD paper reports (seed 001)?',
      hypothesis: 'EGD reaches 90% test accuracy within a few dozen epochs while SGD is still on its plateau at 200 epochs.',
      rationale:
        'The EGD paper shows the plateau vanishing on modular arithmetic. Hidden 100 and batch 64 keep one epoch near half a second (p=97, half the 9409 pairs for training), so 200 epochs fit the time limit.',
      base: { task: 'mod-add', hidden: 100, batch_size: 64 },
      arms: [sgd, { name: 'egd', overrides: { optimizer: 'egd' } }],
      metric: 'epoch_90',
      secondary: ['best_test_acc', 'solve_epoch', 'time_to_solve_ms'],
    }),
  },
  {
    name: 'forward-forward',
    pattern: /forward[- ]forward/i,
    draft: (size) => ({
      title: 'Forward-forward against backprop on a small network',
      question: 'Does forward-forward solve small parity problems, and what does it cost in memory traffic?',
      hypothesis: 'Forward-forward has much worse ARD than backprop (the learning guide: 25x) and a lower solve rate.',
      rationale: 'Two forward passes and a local objective per layer read each weight more often than backprop.',
      base: { n_bits: 10, k: 2, hidden: 50, n_train: 500, n_test: 200, ...size },
      arms: [{ name: 'backprop', overrides: {}, baseline: true }, { name: 'forward-forward', overrides: { algorithm: 'forward-forward', lr: 0.01, optimizer: 'sign-sgd' } }],
      metric: 'best_test_acc',
      secondary: ['weighted_ard', 'energy_pj', 'solve_epoch'],
      track: true,
    }),
  },
  {
    name: 'update-order',
    pattern: /per-layer|fused|update order|\bard\b/i,
    draft: (size) => ({
      title: 'Update order and memory traffic',
      question: 'Which update order (standard, fused, per-layer) has the lowest weighted ARD, and at what cost in epochs?',
      hypothesis: 'Fused and per-layer lower weighted ARD (the learning guide: ~4% and ~9%) at no loss in solve rate.',
      rationale: 'Consuming gradients right after they are made shortens reuse distances; per-layer needs a re-forward with batches (seed 003).',
      base: { ...size },
      arms: [{ name: 'standard', overrides: {}, baseline: true }, { name: 'fused', overrides: { order: 'fused' } }, { name: 'per-layer', overrides: { order: 'per-layer' } }],
      metric: 'weighted_ard',
      secondary: ['ard', 'dmc', 'energy_pj', 'solve_epoch'],
      track: true,
    }),
  },
  {
    name: 'curriculum',
    pattern: /curriculum/i,
    draft: (size) => {
      const n = size.n_bits ?? 20;
      return {
        title: `Curriculum over n (10 -> ${n}) against direct training at n=${n}`,
        question: `Does solving n=10 first, then growing W1 to n=${n} (same secret), solve n=${n} in fewer total epochs than training at n=${n} directly?`,
        hypothesis: 'The curriculum needs fewer total epochs (seed 004: 14.6x at n=50).',
        rationale: 'The small problem finds the secret bits fast; the grown network keeps them, so the large problem starts past its plateau.',
        base: { ...size },
        arms: [{ name: 'direct', overrides: {}, baseline: true }, { name: 'curriculum', overrides: { curriculum: [10, n] } }],
        metric: 'solve_epoch',
      };
    },
  },
  {
    name: 'egd',
    pattern: /\begd\b|egalitarian/i,
    draft: (size) => ({
      title: 'EGD against SGD on sparse parity',
      question: 'Does Egalitarian Gradient Descent shorten the grokking plateau, and is its wall time worth it?',
      hypothesis: 'EGD reaches 90% test accuracy in clearly fewer epochs than SGD (seed 000: 14 vs 33).',
      rationale: 'EGD sets every singular value of the gradient to 1, so all principal directions move at the same speed (arXiv:2510.04930).',
      base: { ...size },
      arms: [sgd, { name: 'egd', overrides: { optimizer: 'egd' } }],
      metric: 'epoch_90',
      secondary: ['solve_epoch', 'time_to_solve_ms', 'elapsed_ms'],
    }),
  },
  {
    name: 'grokfast',
    pattern: /grokfast/i,
    draft: (size) => ({
      title: 'GrokFast (gradient EMA) against SGD',
      question: 'Does amplifying slow gradient components (GrokFast, alpha 0.98, lambda 2) make the phase transition sooner?',
      hypothesis: 'GrokFast solves in fewer epochs than SGD (Lee et al. 2024 report 2-10x).',
      rationale: 'The learning guide found GrokFast counterproductive once hyperparameters are right; this checks it on our core.',
      base: { ...size },
      arms: [sgd, { name: 'grokfast', overrides: { optimizer: 'grokfast', grokfast_alpha: 0.98, grokfast_lambda: 2 } }],
      metric: 'solve_epoch',
    }),
  },
  {
    name: 'sign-sgd',
    pattern: /sign[- ]?sgd|\bsign\b/i,
    draft: (size) => ({
      title: 'Sign SGD against SGD',
      question: 'Does sign SGD (W -= lr * sign(g)) need fewer epochs to solve sparse parity than SGD?',
      hypothesis: 'Sign SGD at lr 0.01 solves in fewer epochs than SGD at lr 0.1 (Kou et al. 2024: it matches the SQ lower bound).',
      rationale: 'Normalizing gradient magnitudes helps the weak signal of the secret bits against the noise bits; a sign step is as large as lr on every weight, hence lr 0.01.',
      base: { ...size },
      arms: [sgd, { name: 'sign-sgd', overrides: { optimizer: 'sign-sgd', lr: 0.01 } }],
      metric: 'solve_epoch',
    }),
  },
  {
    name: 'logistic-loss',
    pattern: /logistic|cross[- ]entropy/i,
    draft: (size) => ({
      title: 'Logistic loss against hinge',
      question: 'Does a loss with a gradient on correctly classified samples (logistic) solve faster than hinge?',
      hypothesis: 'Logistic loss reaches 90% test accuracy in fewer epochs than hinge (seed 002, experiment 5).',
      rationale: 'Hinge stops contributing once a margin is reached; logistic keeps a continuous signal.',
      base: { ...size },
      arms: [{ name: 'hinge', overrides: {}, baseline: true }, { name: 'logistic', overrides: { loss: 'logistic' } }],
      metric: 'epoch_90',
      secondary: ['solve_epoch', 'time_to_solve_ms'],
    }),
  },
  {
    name: 'weight-decay',
    pattern: /weight[- ]decay|\bwd\b/i,
    draft: (size) => ({
      title: 'Weight-decay sweep at lr 0.1',
      question: 'Does more weight decay shorten the grokking plateau on sparse parity?',
      hypothesis: 'A larger wd than 0.01 reaches a solve in fewer epochs (seed 002, experiment 2).',
      rationale: 'Weight decay favours the sparse (generalizing) circuit over the dense memorizing one (Merrill et al. 2023).',
      base: { ...size },
      arms: [{ name: 'wd=0.01', overrides: {}, baseline: true }, ...[0.001, 0.1, 1.0].map((wd) => ({ name: `wd=${wd}`, overrides: { wd } }))],
      metric: 'solve_epoch',
    }),
  },
  {
    name: 'batch-size',
    pattern: /single[- ]sample|batch[- ]size|mini-?batch/i,
    draft: (size) => ({
      title: 'Single-sample against mini-batch SGD',
      question: 'How do batch sizes 1, 8 and 32 compare in epochs and wall time to solve?',
      hypothesis: 'Single-sample SGD solves in far fewer epochs (seed 003: 5.2 vs 41) and less wall time.',
      rationale: 'Frequent updates find the phase transition sooner; batching mostly buys stability.',
      base: { ...size },
      arms: [{ name: 'batch=32', overrides: {}, baseline: true }, { name: 'batch=8', overrides: { batch_size: 8 } }, { name: 'batch=1', overrides: { batch_size: 1 } }],
      metric: 'solve_epoch',
    }),
  },
  {
    name: 'baseline',
    pattern: /\bbaseline\b/i,
    draft: () => canonicalBaselineDraft(),
  },
];

export function canonicalBaselineDraft(): RecipeDraft {
  return {
    title: 'Canonical SGD baseline on 20-bit sparse parity',
    question: 'How fast does the canonical configuration (n=20, k=3, hidden 200, lr 0.1, wd 0.01, batch 32, hinge) solve 20-bit parity on our core?',
    hypothesis: 'It solves 5/5 seeds with a median of 28-49 epochs to solve, as in the seeds (33 epochs to 90%, 40 to solve).',
    rationale: 'Every other experiment is judged against this baseline; the seeds report it on numpy, and our core must reproduce it.',
    base: {},
    arms: [sgd],
    metric: 'solve_epoch',
  };
}

/** The recipe for an item's text (at the size it names), or null when none applies. */
export function recipeFor(item: QueueItem, space: SearchSpace): RecipeMatch | null {
  const recipe = recipes.find((candidate) => candidate.pattern.test(item.text));
  const size = recipe?.sized === false ? {} : sizeIn(item.text, space);
  if (recipe && recipe.name !== 'baseline') return { recipe: recipe.name, draft: atSize(recipe.draft(size), size) };
  if (Object.keys(size).length > 0) return { recipe: 'size', draft: sizeBaseline(size) };
  return recipe ? { recipe: recipe.name, draft: recipe.draft(size) } : null;
}

/** An item asking for the canonical baseline (not for a method, not at another size). */
export function isBaselineItem(item: QueueItem, space: SearchSpace): boolean {
  return recipeFor(item, space)?.recipe === 'baseline';
}

/** The problem size an item names, when it differs from the canonical one and the search space allows it. */
function sizeIn(text: string, space: SearchSpace): Size {
  const n = Number(/\bn\s*=\s*(\d+)/i.exec(text)?.[1] ?? /\b(\d+)-bit\b/i.exec(text)?.[1] ?? NaN);
  const k = Number(/\bk\s*=\s*(\d+)/i.exec(text)?.[1] ?? NaN);
  const size: Size = {};
  if (n !== canonicalSize.n_bits && space.parameters['n_bits']?.includes(n)) size.n_bits = n;
  if (k !== canonicalSize.k && space.parameters['k']?.includes(k)) size.k = k;
  return size;
}

/** The recipe at the size an item names; a bigger problem has a longer plateau: at least 500 epochs. */
function atSize(draft: RecipeDraft, size: Size): RecipeDraft {
  if (Object.keys(size).length === 0) return draft;
  const bigger = (size.n_bits ?? 0) > canonicalSize.n_bits || (size.k ?? 0) > canonicalSize.k;
  const base: Partial<TrainConfigInput> = { ...draft.base, ...(bigger ? { max_epochs: Math.max(draft.base.max_epochs ?? 200, 500) } : {}) };
  return { ...draft, title: `${draft.title} at ${sizeText({ n_bits: base.n_bits ?? canonicalSize.n_bits, k: base.k ?? canonicalSize.k })}`, base };
}

function sizeBaseline(size: Size): RecipeDraft {
  const where = sizeText({ ...canonicalSize, ...size });
  return atSize(
    {
      title: 'SGD baseline',
      question: `How fast does the canonical SGD configuration solve sparse parity at ${where}?`,
      hypothesis: 'It solves, in more epochs the larger n and k are (SGD needs about n^O(k) steps; Barak et al. 2022).',
      rationale: 'A method that wins at the canonical size is judged at another size against this baseline.',
      base: { ...size },
      arms: [sgd],
      metric: 'solve_epoch',
    },
    size,
  );
}

function sizeText(size: Required<Size>): string {
  return `n=${size.n_bits}, k=${size.k}`;
}
