// The Config section: the baseline arm's full training config (the seeds' parameter table), the
// experiment settings (seeds, time limit, metrics), and one row per arm saying what it changes.
import { markdownTable } from 'markdown-table';
import { isModularTask, primaryDirection, type Spec, type TrainConfig } from '../../core/index.js';
import { configChanges, describeChanges, formatConfigValue, orderedConfigKeys } from './config-diff.js';
import { formatSeeds } from './format.js';

export type ConfiguredArm = { name: string; baseline: boolean; config: TrainConfig };

/** Keys that only matter for some tasks or methods: listed only when some arm uses them. */
const conditionalKeys: Record<string, (configs: TrainConfig[]) => boolean> = {
  modulus: (configs) => configs.some((config) => isModularTask(config.task)),
  train_fraction: (configs) => configs.some((config) => isModularTask(config.task)),
  grokfast_alpha: (configs) => configs.some((config) => config.optimizer === 'grokfast'),
  grokfast_lambda: (configs) => configs.some((config) => config.optimizer === 'grokfast'),
  ff_threshold: (configs) => configs.some((config) => config.algorithm === 'forward-forward'),
  curriculum: (configs) => configs.some((config) => config.curriculum !== undefined),
};

export function configSection(spec: Spec, arms: readonly ConfiguredArm[]): string {
  const baseline = arms.find((arm) => arm.baseline) ?? arms[0];
  if (!baseline) return 'No arm could be configured.';
  const configs = arms.map((arm) => arm.config);
  const values = baseline.config as Record<string, unknown>;
  const parameterRows = orderedConfigKeys(baseline.config)
    .filter((key) => conditionalKeys[key]?.(configs) ?? true)
    .map((key) => [key, formatConfigValue(values[key])]);
  const settingRows = [
    ['seeds', `${formatSeeds(spec.seeds)} (${spec.seeds.length} per arm)`],
    ['time_limit', `${spec.time_limit} s per run`],
    ['metric', `${spec.metric.name} (${primaryDirection(spec)} is better)`],
    ...(spec.secondary.length > 0 ? [['secondary', spec.secondary.join(', ')]] : []),
  ];
  const parameterTable = markdownTable([[`Parameter (baseline: ${baseline.name})`, 'Value'], ...parameterRows, ...settingRows], { align: ['l', 'l'] });
  const armRows = arms.map((arm) => [
    arm.name,
    arm === baseline ? 'baseline' : 'arm',
    arm === baseline ? 'the config above' : describeChanges(configChanges(baseline.config, arm.config)),
  ]);
  const armTable = markdownTable([['Arm', 'Role', 'Changes vs baseline'], ...armRows], { align: ['l', 'l', 'l'] });
  return `${parameterTable}\n\n${armTable}`;
}
