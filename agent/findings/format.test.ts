import { describe, expect, it } from 'vitest';
import {
  formatChange,
  formatCount,
  formatEnergy,
  formatEpochs,
  formatInterval,
  formatMetricValue,
  formatMilliseconds,
  formatPercent,
  formatPValue,
  formatRatio,
  formatSeeds,
  roundForFrontMatter,
} from './format.js';

describe('finding number formats', () => {
  it('writes epochs as integers and medians of an even count with one decimal', () => {
    expect(formatEpochs(40)).toBe('40');
    expect(formatEpochs(40.5)).toBe('40.5');
    expect(formatEpochs(1068)).toBe('1,068');
    expect(formatEpochs(null)).toBe('—');
  });

  it('writes a relative change with its sign, and one that rounds to nothing as 0%', () => {
    expect(formatChange(0.009)).toBe('+0.9%');
    expect(formatChange(-0.064)).toBe('-6.4%');
    expect(formatChange(24)).toBe('+2400%');
    expect(formatChange(-0.0002)).toBe('0%');
    expect(formatChange(null)).toBe('—');
  });

  it('writes p-values as <0.001, three decimals below 0.01 and near 0.05, two decimals otherwise', () => {
    expect(formatPValue(0.0004)).toBe('<0.001');
    expect(formatPValue(0.007936507936507936)).toBe('0.008');
    expect(formatPValue(0.0909)).toBe('0.09');
    expect(formatPValue(0.3095)).toBe('0.31');
    expect(formatPValue(0.0496)).toBe('0.050');
    expect(formatPValue(0.0476)).toBe('0.048');
    expect(formatPValue(null)).toBe('—');
  });

  it('writes ratios with an x and CIs in brackets, an open end as a dash', () => {
    expect(formatRatio(0.4213)).toBe('0.42x');
    expect(formatRatio(12.53)).toBe('12.5x');
    expect(formatRatio(null)).toBe('—');
    expect(formatInterval(0.35, 0.5)).toBe('[0.35, 0.50]');
    expect(formatInterval(3, null)).toBe('[3.00, —]');
    expect(formatInterval(null, null)).toBe('—');
  });

  it('writes times, percentages and memory figures in human units', () => {
    expect(formatMilliseconds(3.74)).toBe('3.7 ms');
    expect(formatMilliseconds(1068.4)).toBe('1,068 ms');
    expect(formatMilliseconds(12_345)).toBe('12.3 s');
    expect(formatPercent(0.998)).toBe('99.8%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatCount(12_345.6, 'floats')).toBe('12.3k floats');
    expect(formatCount(4.56e6)).toBe('4.56M');
    expect(formatEnergy(2.34e7)).toBe('23.4 µJ');
    expect(formatEnergy(812)).toBe('812 pJ');
    expect(formatMetricValue('energy_pj', 1.5e9)).toBe('1.5 mJ');
    expect(formatMetricValue('best_test_acc', 0.881)).toBe('88.1%');
  });

  it('compacts seed lists into ranges and rounds front-matter numbers to six significant digits', () => {
    expect(formatSeeds([46, 42, 43, 44, 45, 50, 52, 53])).toBe('42-46, 50, 52-53');
    expect(roundForFrontMatter(0.1 + 0.2)).toBe(0.3);
    expect(roundForFrontMatter(0.007936507936507936)).toBe(0.00793651);
    expect(roundForFrontMatter(Number.NaN)).toBeNull();
  });
});
