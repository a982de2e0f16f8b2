// Renders findings/<id>.md and its SVG figures from an experiment's results. Pure: returns the content,
// the caller writes the files. Every number comes from the results; the narrative from the planner or the template.
import { DEFAULT_MIN_EFFECT, expandArms, primaryDirection, type ExperimentResults, type Spec } from '../../core/index.js';
import type { Narrative } from '../domain.js';
import { renderAllCharts } from './charts.js';
import { configSection, type ConfiguredArm } from './config-section.js';
import { formatMilliseconds, formatSeeds } from './format.js';
import { findingFrontMatter, withFrontMatter, type FindingFrontMatter } from './front-matter.js';
import { templateNarrative } from './narrative.js';
import { buildResultsTable } from './results-table.js';
import { specPath } from '../workspace/paths.js';
import { renderArmReason } from './verdict-text.js';
import { instrumentLines } from './instruments.js';

export type RenderFindingOptions = {
  /** The planner's narrative; null or absent: templateNarrative(results). */
  narrative?: Narrative | null;
  /** One line under the Analysis heading saying who wrote the narrative (e.g. a language model). */
  narrativeNote?: string | null;
  /** YYYY-MM-DD (injected: rendering reads no clock). */
  date: string;
  /** results.json relative to the workspace root, e.g. results/exp-egd/results.json. */
  resultsPath: string;
  /** Figure folder relative to the finding (findings/), e.g. 'exp-egd'. */
  figureDir: string;
  /** The exact command that reruns the experiment, e.g. `lab run experiments/exp-egd.md`. */
  reproduceCommand: string;
};

export type RenderedFigure = { /** Relative to findings/ (and to the finding's own file). */ path: string; svg: string };
export type RenderedFinding = { markdown: string; figures: RenderedFigure[] };

/** The section headings, in order; invalid findings use the same ones. */
export const findingSections = ['Question and hypothesis', 'Config', 'Results', 'Figures', 'Analysis', 'Open questions', 'Reproduce', 'Files'] as const;

function bullets(lines: readonly string[], empty: string): string {
  return lines.length === 0 ? `- ${empty}` : lines.map((line) => `- ${line}`).join('\n');
}

function section(title: (typeof findingSections)[number], body: string): string {
  return `## ${title}\n\n${body.trim()}\n`;
}

function questionSection(question: string, hypothesis: string | null): string {
  return section('Question and hypothesis', `**Question.** ${question}\n\n**Hypothesis.** ${hypothesis ?? '—'}`);
}

function headerLines(options: { title: string; id: string; date: string; className: string; spec: Spec | null; headline: string }): string {
  const answers = [options.spec?.todo_id && `TODO ${options.spec.todo_id}`, options.spec?.motivated_by && `motivated by ${options.spec.motivated_by}`].filter(
    Boolean,
  );
  const status = [
    `Date: ${options.date}`,
    `Class: **${options.className}**`,
    `Experiment: \`${options.id}\``,
    ...(answers.length > 0 ? [`Answers: ${answers.join(', ')}`] : []),
  ];
  return `# ${options.title}\n\n${status.join(' · ')}\n\n> ${options.headline}\n`;
}

const emptyAnalysis = { worked: 'Nothing beat the baseline.', didnt: 'Nothing failed.', surprise: 'Nothing unexpected in the numbers.' };

function analysisSection(narrative: Narrative, empty = emptyAnalysis, note: string | null = null): string {
  return section(
    'Analysis',
    [
      ...(note ? [`_${note}_`] : []),
      `### What worked\n\n${bullets(narrative.worked, empty.worked)}`,
      `### What didn't work\n\n${bullets(narrative.didnt, empty.didnt)}`,
      `### Surprise\n\n${bullets(narrative.surprise, empty.surprise)}`,
    ].join('\n\n'),
  );
}

function filesSection(lines: string[]): string {
  return section('Files', bullets(lines, '—'));
}

function provenanceLine(results: ExperimentResults): string {
  const p = results.provenance;
  return `Provenance: parity-lab ${p.package_version}, Node ${p.node_version}, core ${p.core_hash}, spec ${p.spec_hash}, commit ${p.git_commit ?? '(none)'}; ${p.workers} worker(s), wall time ${formatMilliseconds(p.wall_ms)} (${p.started_at} to ${p.finished_at})`;
}

/** The planner's lists as given; only open questions fall back to the template when the planner gave none. */
function chooseNarrative(results: ExperimentResults, given: Narrative | null | undefined): Narrative {
  const template = templateNarrative(results);
  if (!given) return template;
  return { ...given, open_questions: given.open_questions.length > 0 ? given.open_questions : template.open_questions };
}

/** The memory instruments side by side, when the experiment compared two or more of them. */
function instrumentsPart(results: ExperimentResults): string {
  const lines = instrumentLines(results);
  if (lines.length === 0) return '';
  const minEffect = ((results.spec.min_effect ?? DEFAULT_MIN_EFFECT) * 100).toFixed(0);
  return `\n\nWhere the memory instruments agree (each arm against the baseline, ratio of medians; a change under ${minEffect}% counts as same):\n\n${bullets(lines, '—')}`;
}

export async function renderFinding(results: ExperimentResults, options: RenderFindingOptions): Promise<RenderedFinding> {
  const figureDir = options.figureDir.replace(/\/+$/, '');
  const charts = renderAllCharts(results);
  const figures = charts.map((chart) => ({ path: `${figureDir}/${chart.name}`, svg: chart.svg }));
  const narrative = chooseNarrative(results, options.narrative);
  const table = buildResultsTable(results);
  const reasons = results.summary.arms.map((arm) => `${arm.name} (${arm.class}): ${renderArmReason(arm)}`);
  const figureBody =
    charts.length === 0
      ? 'No run recorded a per-epoch history (every run crashed), so there is nothing to plot.'
      : charts.map((chart, index) => `![${chart.title}](${figures[index]!.path})`).join('\n\n');
  const body = [
    headerLines({
      title: results.spec.title,
      id: results.id,
      date: options.date,
      className: results.summary.class,
      spec: results.spec,
      headline: results.summary.headline,
    }),
    questionSection(results.spec.question, results.spec.hypothesis),
    section('Config', configSection(results.spec, results.arms as ConfiguredArm[])),
    section('Results', `${table.markdown}\n\n${table.notes.join('\n\n')}\n\nWhy each class:\n\n${bullets(reasons, '—')}${instrumentsPart(results)}`),
    section('Figures', figureBody),
    analysisSection(narrative, emptyAnalysis, options.narrativeNote ?? null),
    section('Open questions', bullets(narrative.open_questions, 'None.')),
    section('Reproduce', `\`\`\`sh\n${options.reproduceCommand}\n\`\`\``),
    filesSection([
      `Results: \`${options.resultsPath}\` (results_hash \`${results.results_hash}\`)`,
      `Spec: \`${specPath(results.id)}\``,
      ...figures.map((figure) => `Figure: \`${figure.path}\``),
      provenanceLine(results),
    ]),
  ].join('\n');
  const frontMatter = findingFrontMatter(results, { date: options.date, resultsPath: options.resultsPath });
  return { markdown: withFrontMatter(body, frontMatter), figures };
}

export type InvalidFindingOptions = {
  id: string;
  date: string;
  question: string;
  /** What went wrong, e.g. the error of a cycle that failed before running. */
  reason: string;
  spec?: Spec | null;
  resultsPath?: string | null;
  reproduceCommand?: string | null;
};

/** Arms of a spec for the Config table; none when the spec itself does not expand (that may be the failure). */
function configuredArmsOf(spec: Spec): ConfiguredArm[] {
  try {
    return expandArms(spec);
  } catch {
    return [];
  }
}

/** A finding for a cycle with nothing to judge (every run crashed, or it failed before running): class INVALID. */
export function renderInvalidFinding(options: InvalidFindingOptions): RenderedFinding {
  const spec = options.spec ?? null;
  const firstLine = options.reason.trim().split('\n')[0] ?? 'unknown failure';
  const headline = `INVALID: ${firstLine}`;
  const arms = spec ? configuredArmsOf(spec) : [];
  const fence = options.reason.includes('```') ? '~~~' : '```';
  const body = [
    headerLines({ title: spec?.title ?? options.id, id: options.id, date: options.date, className: 'INVALID', spec, headline }),
    questionSection(options.question, spec?.hypothesis ?? null),
    section(
      'Config',
      spec
        ? arms.length > 0
          ? configSection(spec, arms)
          : `The spec's arms do not expand to valid configs (seeds ${formatSeeds(spec.seeds)}).`
        : 'No valid spec.',
    ),
    section('Results', `No results: the experiment is INVALID.\n\n${fence}\n${options.reason.trim()}\n${fence}`),
    section('Figures', 'None: nothing ran to completion.'),
    analysisSection(
      { worked: [], didnt: [`The cycle produced no comparable runs: ${firstLine}`], surprise: [], open_questions: [] },
      { worked: 'Nothing: no run completed.', didnt: '', surprise: 'Nothing to compare.' },
    ),
    section('Open questions', bullets([`Fix the failure above and rerun ${options.id}.`], 'None.')),
    section('Reproduce', options.reproduceCommand ? `\`\`\`sh\n${options.reproduceCommand}\n\`\`\`` : 'No command: the experiment did not run.'),
    filesSection([...(options.resultsPath ? [`Results: \`${options.resultsPath}\``] : []), ...(spec ? [`Spec: \`${specPath(options.id)}\``] : [])]),
  ].join('\n');
  const frontMatter: FindingFrontMatter = {
    id: options.id,
    title: spec?.title ?? null,
    date: options.date,
    class: 'INVALID',
    question: options.question,
    primary_metric: spec?.metric.name ?? null,
    direction: spec ? primaryDirection(spec) : null,
    headline,
    best_arm: null,
    results: options.resultsPath ?? null,
    results_hash: null,
    arms: {},
  };
  return { markdown: withFrontMatter(body, frontMatter), figures: [] };
}
