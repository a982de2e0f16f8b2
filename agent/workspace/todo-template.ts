// The TODO.md that `lab init` writes: the format in a few lines, and a first queue drawn from the seeds'
// research plan (canonical baseline first, then one question per method). Specs are linked only on request.
import { isValidId } from './ids.js';

export type InitialTodoItem = { id: string; section: string; text: string };

/** The starting queue, in order. The canonical config of the seeds: n=20, k=3, hidden 200, lr 0.1, wd 0.01, batch 32. */
export const initialTodoItems: readonly InitialTodoItem[] = [
  { id: 'canonical-sgd-baseline', section: 'Baselines', text: 'Canonical SGD baseline: 20-bit parity, k=3, hidden 200, lr 0.1, wd 0.01, batch 32, hinge loss, seeds 42-46' },
  { id: 'weight-decay-sweep', section: 'Grokking and hidden progress', text: 'Weight-decay sweep wd ∈ {0.001, 0.01, 0.1, 1.0, 2.0} at lr 0.1: does more decay shorten the plateau?' },
  { id: 'sign-sgd', section: 'Grokking and hidden progress', text: 'Sign SGD (W -= lr·sign(g)) needs fewer epochs to solve than SGD (Kou et al. 2024)' },
  { id: 'grokfast', section: 'Grokking and hidden progress', text: 'GrokFast (gradient EMA, alpha 0.98, lambda 2) makes the phase transition 2-10x sooner (Lee et al. 2024)' },
  { id: 'logistic-loss', section: 'Grokking and hidden progress', text: 'Logistic loss instead of hinge keeps a gradient on correct samples: smoother and faster?' },
  { id: 'egd-vs-sgd', section: 'Optimizers', text: 'EGD vs SGD on 20-bit parity: fewer epochs to 90%, but is the wall time worth it?' },
  { id: 'egd-sparse-sum', section: 'Optimizers', text: 'EGD vs SGD on sparse sum, where SGD at lr 0.1 diverges under MSE' },
  { id: 'single-sample-vs-batch', section: 'Optimizers', text: 'Single-sample vs mini-batch (32) SGD: epochs and wall time to solve' },
  { id: 'update-order-ard', section: 'Energy and memory', text: 'Update order standard / fused / per-layer: which lowers ARD, and at what wall-time cost?' },
  { id: 'forward-forward-ard', section: 'Energy and memory', text: 'Forward-forward vs backprop: ARD and solve rate on small networks' },
  { id: 'curriculum-n', section: 'Scaling up', text: 'Curriculum over n (10 → 20) vs direct training at n=20' },
  { id: 'modular-addition-egd', section: 'Scaling up', text: 'Modular addition (mod 97): does EGD remove the grokking plateau, as the EGD paper reports?' },
];

export type NewTodoFileOptions = {
  /** Item id -> its spec, e.g. { 'canonical-sgd-baseline': 'experiments/canonical-sgd-baseline.md' }. */
  specLinks?: Record<string, string>;
};

export function newTodoFile({ specLinks = {} }: NewTodoFileOptions = {}): string {
  for (const [id, specPath] of Object.entries(specLinks)) {
    if (!initialTodoItems.some((item) => item.id === id)) {
      throw new Error(`newTodoFile: no initial item "${id}"; items are ${initialTodoItems.map((item) => item.id).join(', ')}`);
    }
    const specId = /^experiments\/(.+)\.md$/.exec(specPath)?.[1];
    if (!specId || !isValidId(specId)) throw new Error(`newTodoFile: spec link "${specPath}" for "${id}" is not experiments/<id>.md`);
  }
  const lines = [
    '# TODO',
    '',
    'The hypothesis queue. The agent takes the top open item, runs it, checks it off with a link to its',
    'finding and class, and adds follow-ups at the end. Edit freely: reorder, add, delete.',
    '',
    '- `- [ ] text` is an open item, `- [x] text` a done one; anything else here is kept as you wrote it.',
    '- Link a ready spec with `experiments/<id>.md` anywhere in the text; without one the planner writes it.',
    '- The agent writes an id comment at the end of each item; keep it when you edit the line.',
  ];
  let section = '';
  for (const item of initialTodoItems) {
    if (item.section !== section) lines.push('', `## ${item.section}`, '');
    section = item.section;
    const specPath = specLinks[item.id];
    const spec = specPath ? ` (spec: [${specPath.slice('experiments/'.length, -'.md'.length)}](${specPath}))` : '';
    lines.push(`- [ ] ${item.text}${spec} <!-- id: ${item.id} -->`);
  }
  return `${lines.join('\n')}\n`;
}
