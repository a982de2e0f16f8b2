// A free-text TODO item a human added, read as an experiment: the config keys it names and the values it
// gives ("wd ∈ {0.001, 0.1, 2.0}", "lr 0.05", "hidden=500", "at n=30", "sign SGD vs SGD"), as arms against
// the canonical baseline at the size it names. Every number the human wrote is kept; nothing is invented.
// Items of `lab init`'s queue link real spec files and never come here.
import { lossNames, optimizerNames, orderNames, parseTrainConfig, type TrainConfigInput } from '../../core/index.js';
import type { QueueItem } from '../domain.js';
import type { ArmDraft, SpecDraft } from './builtin-spec.js';

export type TextDraft = Omit<SpecDraft, 'id'>;

/** Numeric config keys and the words a human uses for them (longest first, so "batch size" beats "batch"). */
const numericKeys: [key: keyof TrainConfigInput, pattern: string][] = [
  ['wd', 'weight[- ]decay|wd'],
  ['lr', 'learning[- ]rate|lr'],
  ['batch_size', 'batch[- _]size|batch'],
  ['n_train', 'n_train|training samples|train(?:ing)? size'],
  ['hidden', 'hidden(?: units| size)?|width'],
  ['max_epochs', 'max_epochs|epochs'],
  ['grokfast_alpha', 'alpha'],
  ['grokfast_lambda', 'lambda'],
  ['modulus', 'mod(?:ulus)?|p'],
  ['n_bits', 'n_bits|n'],
  ['k', 'k'],
];

const number = String.raw`-?\d+(?:\.\d+)?(?:e-?\d+)?`;
/** key = v, key v, key: v, key ∈ {a, b}, key in {a, b}, key {a, b}, key (a, b). */
const valuesAfter = (words: string) =>
  new RegExp(String.raw`\b(?:${words})\s*(?:=|:|∈|\bin\b)?\s*(?:[{(\[]\s*((?:${number}\s*[,;/]?\s*)+)[})\]]|(${number})(?![\w.-]))`, 'i');

function numbersIn(list: string): number[] {
  return [...list.matchAll(new RegExp(number, 'g'))].map((match) => Number(match[0]));
}

/** Every numeric key the text gives values for, with the values in the order written. */
export function numericValuesIn(text: string): Partial<Record<keyof TrainConfigInput, number[]>> {
  const found: Partial<Record<keyof TrainConfigInput, number[]>> = {};
  const bitCount = /\b(\d+)-bit\b/i.exec(text);
  if (bitCount) found.n_bits = [Number(bitCount[1])];
  for (const [key, words] of numericKeys) {
    if (found[key]) continue;
    const match = valuesAfter(words).exec(text);
    if (match) found[key] = match[1] ? numbersIn(match[1]) : [Number(match[2])];
  }
  return found;
}

/** Categorical values named in the text (optimizers, losses, update orders, forward-forward). */
export function namedChoicesIn(text: string): Partial<TrainConfigInput>[] {
  const lower = text.toLowerCase();
  const named = (value: string) => new RegExp(String.raw`(?<![\w-])${value.replace(/-/g, '[- ]?')}(?![\w-])`, 'i').test(lower);
  return [
    ...optimizerNames.filter((name) => name !== 'sgd' && named(name)).map((optimizer) => ({ optimizer })),
    ...lossNames.filter((name) => name !== 'hinge' && named(name)).map((loss) => ({ loss })),
    ...orderNames.filter((name) => name !== 'standard' && named(name)).map((order) => ({ order })),
    ...(named('forward-forward') ? [{ algorithm: 'forward-forward' as const }] : []),
  ];
}

const sizeKeys = new Set<keyof TrainConfigInput>(['n_bits', 'k', 'modulus']);
/** The canonical values of the keys whose canonical value in a text is context, not an arm (from the config schema's defaults). */
const defaults = parseTrainConfig({});
const canonical: Partial<TrainConfigInput> = Object.fromEntries(
  (['n_bits', 'k', 'hidden', 'lr', 'wd', 'batch_size', 'n_train', 'max_epochs'] as const).map((key) => [key, defaults[key]]),
);

/** The item as a draft, or null when it names no config key with a value and no method. */
export function draftFromText(item: QueueItem): TextDraft | null {
  const values = numericValuesIn(item.text);
  const base: Partial<TrainConfigInput> = {};
  const arms: ArmDraft[] = [{ name: 'baseline', overrides: {}, baseline: true }];
  for (const [key, list] of Object.entries(values) as [keyof TrainConfigInput, number[]][]) {
    // A single value of a size key says where the experiment runs; a single value equal to the canonical one is context.
    if (list.length === 1 && (sizeKeys.has(key) || list[0] === canonical[key])) (base as Record<string, unknown>)[key] = list[0];
    else for (const value of list) if (value !== canonical[key]) arms.push({ name: `${key}=${value}`, overrides: { [key]: value } });
  }
  if (/curriculum/i.test(item.text)) {
    const stages = [...item.text.matchAll(/\b(\d+)\s*(?:→|->|to)\s*(\d+)\b/g)].flatMap((match) => [Number(match[1]), Number(match[2])]);
    if (stages.length >= 2) arms.push({ name: 'curriculum', overrides: { curriculum: [...new Set(stages)] } });
  }
  for (const choice of namedChoicesIn(item.text)) arms.push({ name: Object.values(choice).join('-'), overrides: choice });
  if (arms.length === 1 && Object.keys(base).length === 0) return null;
  const bigger = (base.n_bits ?? defaults.n_bits) > defaults.n_bits || (base.k ?? defaults.k) > defaults.k;
  if (bigger) base.max_epochs = Math.max(base.max_epochs ?? 0, 500);
  const names = arms.slice(1).map((arm) => arm.name);
  const where = Object.entries(base).map(([key, value]) => `${key}=${String(value)}`);
  return {
    title: item.text.length > 100 ? `${item.text.slice(0, 99)}…` : item.text,
    question: item.text,
    hypothesis: names.length > 0 ? `At least one of ${names.join(', ')} solves in fewer epochs than the baseline.` : 'The baseline solves at this size.',
    rationale: `A human's TODO item, read for the config values it names (${[...where, ...names].join(', ') || 'none'}).`,
    base,
    arms: arms.filter((arm, index) => arms.findIndex((other) => other.name === arm.name) === index),
    metric: 'solve_epoch',
    secondary: ['epoch_90', 'best_test_acc', 'time_to_solve_ms'],
  };
}

/** "n=30" or "k=5": a size other than the canonical one. */
const otherSize = new RegExp(String.raw`\bn\s*=\s*(?!${defaults.n_bits}\b)\d+|\bk\s*=\s*(?!${defaults.k}\b)\d+`, 'i');

/** An item asking for the canonical baseline itself ("Canonical SGD baseline: ..."), not for a method or a size. */
export function isBaselineItem(item: QueueItem): boolean {
  return /^\s*(the\s+)?(canonical\s+)?(sgd\s+)?baseline\b/i.test(item.text) && !otherSize.test(item.text);
}
