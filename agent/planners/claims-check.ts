// Checks what a language model wrote against the results it was given: every number in a narrative bullet (open
// questions aside) or discovery must be a number of those results at the precision shown (or a p-value bound they satisfy), and
// every discovery must cite an arm and a metric on which the code's verdict was decisive.
import type { ExperimentResults } from '../../core/index.js';
import type { Narrative } from '../domain.js';

export type CitedDiscovery = { topic: string; text: string; arm: string; metric: string };

/** A number in prose: an optional comparison, the digits, an optional percent sign or "x" (ratio). */
const numberPattern = /([<>≤≥]=?\s*)?(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.-]*\d)(\s*%)?/g;

export function checkClaims(narrative: Narrative, discoveries: CitedDiscovery[], results: ExperimentResults): string[] {
  const known = knownNumbers(results);
  const problems: string[] = [];
  // Open questions are questions, not claims: they may name values no run has used yet.
  for (const list of ['worked', 'didnt', 'surprise'] as const) {
    narrative[list].forEach((text, i) => problems.push(...unsupportedNumbers(text, `narrative.${list}.${i}`, known)));
  }
  discoveries.forEach((discovery, i) => {
    problems.push(...unsupportedNumbers(discovery.text, `discoveries.${i}.text`, known));
    problems.push(...uncitedVerdict(discovery, `discoveries.${i}`, results));
  });
  return problems;
}

type KnownNumbers = { values: number[]; pValues: number[] };

/** Every number of the summary, the spec and the arms' configs, and the numbers inside their strings. */
function knownNumbers(results: ExperimentResults): KnownNumbers {
  const known: KnownNumbers = { values: [], pValues: [] };
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'number' && Number.isFinite(value)) {
      known.values.push(value);
      if (/^p(_value)?$|p_value/.test(key)) known.pValues.push(value);
    } else if (typeof value === 'string') {
      for (const match of value.matchAll(/\d+(?:\.\d+)?/g)) known.values.push(Number(match[0]));
    } else if (Array.isArray(value)) {
      known.values.push(value.length);
      value.forEach((item) => visit(item, key));
    } else if (value !== null && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
    }
  };
  visit(results.summary, 'summary');
  visit(results.spec, 'spec');
  const configs = results.arms.map((arm) => arm.config);
  visit(configs, 'configs');
  return known;
}

function unsupportedNumbers(text: string, path: string, known: KnownNumbers): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(numberPattern)) {
    const [whole, comparison, digits, percent] = match;
    const shown = Number(digits);
    const decimals = digits!.includes('.') ? digits!.split('.')[1]!.length : 0;
    const candidates = percent ? known.values.flatMap((value) => [value, value * 100]) : known.values;
    if (candidates.some((value) => roundTo(value, decimals) === roundTo(shown, decimals))) continue;
    if (comparison && satisfiesBound(comparison.trim(), shown, known.pValues)) continue;
    problems.push(
      `${path}: "${whole!.trim()}" is not a number of these results at the precision shown; quote the results (or leave the number out: the tables show them)`,
    );
  }
  return problems;
}

/** "p < 0.01": some p-value of the results lies below the bound (above, for ">"). */
function satisfiesBound(comparison: string, bound: number, pValues: number[]): boolean {
  if (comparison.startsWith('<') || comparison.startsWith('≤')) return pValues.some((p) => p <= bound);
  return pValues.some((p) => p >= bound);
}

function roundTo(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function uncitedVerdict(discovery: CitedDiscovery, path: string, results: ExperimentResults): string[] {
  const arm = results.summary.arms.find((candidate) => candidate.name === discovery.arm);
  const armNames = results.summary.arms.filter((candidate) => !candidate.baseline).map((candidate) => candidate.name);
  if (!arm || arm.baseline)
    return [`${path}.arm (got ${JSON.stringify(discovery.arm)}): cite a non-baseline arm of ${results.id}: ${armNames.join(', ') || '(none)'}`];
  const decisive = [...arm.better_on, ...arm.worse_on] as string[];
  if (decisive.includes(discovery.metric)) return [];
  return [
    decisive.length === 0
      ? `${path}: arm "${arm.name}" has no decisive verdict on any metric (class ${arm.class}); these results establish no fact about it: leave discoveries empty`
      : `${path}.metric (got ${JSON.stringify(discovery.metric)}): the verdict on arm "${arm.name}" is decisive only on ${decisive.join(', ')}`,
  ];
}
