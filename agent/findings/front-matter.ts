// A finding's YAML front matter: the stable, snake_case keys the findings index parses
// (id, date, class, question, primary_metric, direction, headline, best_arm, results, results_hash, arms).
import matter from 'gray-matter';
import type { ExperimentClass, ExperimentResults } from '../../core/index.js';
import { roundForFrontMatter } from './format.js';

/** One arm's numbers; `median_<primary metric>` is the judged median (e.g. median_solve_epoch). */
export type FrontMatterArm = {
  solved: string;
  solve_rate: number | null;
  ratio: number | null;
  ratio_ci_low: number | null;
  ratio_ci_high: number | null;
  p_value: number | null;
  class: ExperimentClass;
  [medianKey: `median_${string}`]: number | null;
};

export type FindingFrontMatter = {
  id: string;
  title: string | null;
  date: string;
  class: ExperimentClass;
  question: string;
  primary_metric: string | null;
  direction: 'lower' | 'higher' | null;
  headline: string;
  best_arm: string | null;
  /** Path of results.json, relative to the workspace root. */
  results: string | null;
  results_hash: string | null;
  arms: Record<string, FrontMatterArm>;
};

export function findingFrontMatter(results: ExperimentResults, options: { date: string; resultsPath: string }): FindingFrontMatter {
  const { metric, direction } = results.summary.primary;
  const arms: Record<string, FrontMatterArm> = {};
  for (const arm of results.summary.arms) {
    const comparison = arm.comparison;
    const medianKey = `median_${metric}` as const;
    arms[arm.name] = {
      solved: `${arm.solved}/${arm.runs}`,
      solve_rate: roundForFrontMatter(arm.solve_rate),
      [medianKey]: roundForFrontMatter(arm.metrics[metric]?.median),
      ratio: roundForFrontMatter(comparison?.ratio),
      ratio_ci_low: roundForFrontMatter(comparison?.ratio_ci_low),
      ratio_ci_high: roundForFrontMatter(comparison?.ratio_ci_high),
      p_value: roundForFrontMatter(comparison?.p_value),
      class: arm.class,
    } as FrontMatterArm; // the computed median key widens to string; it is median_<metric> by construction
  }
  return {
    id: results.id,
    title: results.spec.title,
    date: options.date,
    class: results.summary.class,
    question: results.spec.question,
    primary_metric: metric,
    direction,
    headline: results.summary.headline,
    best_arm: results.summary.best_arm,
    results: options.resultsPath,
    results_hash: results.results_hash,
    arms,
  };
}

/**
 * Front matter plus body. Stringified by gray-matter (js-yaml), the same library that parses findings back,
 * so values such as the date stay strings on the round trip (js-yaml would read an unquoted 2026-03-16 as a Date).
 */
export function withFrontMatter(body: string, frontMatter: FindingFrontMatter): string {
  return matter.stringify(body, frontMatter as unknown as Record<string, unknown>);
}
