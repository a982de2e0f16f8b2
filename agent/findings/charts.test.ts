import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../core/index.js';
import { downsampleLttb, historySeries, pointsPerSeries, renderAccuracyChart, renderHiddenProgressChart, renderMetricChart } from './charts.js';
import { buildFixtureResults } from './test-helpers/fixture.js';

/** The per-seed line paths (each titled with its series: "<arm> / seed <n>"). */
function seedLineLabels(svg: string): string[] {
  return [...svg.matchAll(/<path d="M[^"]+" fill="none" stroke="[^"]+" stroke-width="1.1" stroke-opacity="[\d.]+"><title>([^<]+)<\/title>/g)].map(
    (match) => match[1]!,
  );
}

function isBalancedSvg(svg: string): boolean {
  const count = (pattern: RegExp) => (svg.match(pattern) ?? []).length;
  return svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>') && count(/<g[\s>]/g) === count(/<\/g>/g) && count(/<svg[\s>]/g) === count(/<\/svg>/g);
}

describe('finding charts', () => {
  it('draws test accuracy as one line per seed per arm, with a legend, axis titles and a title', () => {
    const results = buildFixtureResults();
    const svg = renderAccuracyChart(results);
    expect(isBalancedSvg(svg)).toBe(true);
    const expected = results.arms.flatMap((arm) => arm.runs.map((run) => `${arm.name} / seed ${run.seed}`));
    expect(seedLineLabels(svg).sort()).toEqual(expected.sort());
    expect(svg).toContain('Test accuracy per epoch');
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('>test accuracy</text>');
    const legend = [...svg.matchAll(/<g class="legend-entry">.*?<text[^>]*>([^<]+)<\/text><\/g>/g)].map((match) => match[1]);
    expect(legend).toEqual(['sgd', 'egd', 'egd-lr0.005']);
    expect(svg).toContain('<style>'); // a file of its own: it carries its stylesheet
  });

  it('draws hidden progress with the same one-line-per-seed scheme', () => {
    const results = buildFixtureResults();
    const svg = renderHiddenProgressChart(results);
    expect(isBalancedSvg(svg)).toBe(true);
    expect(seedLineLabels(svg)).toHaveLength(15);
    expect(svg).toContain('||w_t - w_0||_1');
  });

  it('gives each arm its own small panel beyond four arms, still one line per seed', () => {
    const results = buildFixtureResults();
    results.arms = Array.from({ length: 6 }, (_, a) => ({ ...results.arms[a % 3]!, name: `arm-${a}` }));
    const svg = renderAccuracyChart(results);
    expect(isBalancedSvg(svg)).toBe(true);
    expect(seedLineLabels(svg)).toHaveLength(30);
    for (let a = 0; a < 6; a++) expect(svg).toContain(`<text x="64" y="16" class="chart-title">arm-${a}</text>`);
  });

  it('renders byte-identical SVG for the same results', () => {
    const [first, second] = [buildFixtureResults(), buildFixtureResults()];
    expect(renderAccuracyChart(first)).toBe(renderAccuracyChart(second));
    expect(renderHiddenProgressChart(first)).toBe(renderHiddenProgressChart(second));
    expect(renderMetricChart(first)).toBe(renderMetricChart(second));
  });

  it('draws the primary metric as a dot per seed with a value, a cross per censored run and a bar per median', () => {
    const results = buildFixtureResults();
    const svg = renderMetricChart(results);
    expect(isBalancedSvg(svg)).toBe(true);
    expect(svg).toContain('<title>sgd seed 42: 40</title>');
    expect(svg.match(/<circle /g)?.length).toBe(13);
    expect(svg.match(/class="cross"/g)?.length).toBe(2);
    expect(svg).toContain('<title>egd-lr0.005 seed 43: no value</title>');
    expect(svg).toContain('<title>egd median 21</title>');
  });

  it('downsamples a 1000-epoch history to the point budget, keeping the first and last epoch and the jump', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ x: i + 1, y: i < 700 ? 0.5 : 1 }));
    const kept = downsampleLttb(points, 100);
    expect(kept).toHaveLength(100);
    expect(kept[0]).toEqual({ x: 1, y: 0.5 });
    expect(kept[kept.length - 1]).toEqual({ x: 1000, y: 1 });
    expect(kept.some((point) => point.x >= 695 && point.x <= 705)).toBe(true);
    expect(downsampleLttb(points.slice(0, 50), 100)).toHaveLength(50);
  });

  it('keeps 20 arms x 50 seeds x 1000 epochs to a bounded number of plotted points', () => {
    const results = buildFixtureResults();
    const template = results.arms[0]!.runs[0] as RunResult;
    const longRun: RunResult = {
      ...template,
      history: Array.from({ length: 1000 }, (_, i) => ({ ...template.history[0]!, epoch: i + 1, test_acc: i < 700 ? 0.5 : 1 })),
    };
    results.arms = Array.from({ length: 20 }, (_, a) => ({
      ...results.arms[0]!,
      name: `arm-${a}`,
      runs: Array.from({ length: 50 }, (_, seed) => ({ ...longRun, seed })),
    }));
    const points = historySeries(results, (record) => record.test_acc).reduce((sum, series) => sum + series.points.length, 0);
    expect(points).toBe(1000 * pointsPerSeries(1000));
    expect(points).toBeLessThanOrEqual(20_000);
  });
});
