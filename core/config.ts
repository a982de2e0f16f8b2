// The training configuration: validated once with zod where it enters (CLI flags, spec files),
// a plain typed object after that. Keys are snake_case, as in the seeds, spec files and results JSON.
import { z } from 'zod';

export const taskNames = ['parity', 'sum', 'and', 'mod-add', 'mod-mul'] as const;
export const lossNames = ['hinge', 'logistic', 'mse', 'cross-entropy'] as const;
export const optimizerNames = ['sgd', 'sign-sgd', 'grokfast', 'egd'] as const;
export const orderNames = ['standard', 'fused', 'per-layer'] as const;
export const algorithmNames = ['backprop', 'forward-forward'] as const;
export const zeroGradientBatchRules = ['skip', 'update'] as const;
export const backendNames = ['ts', 'wasm'] as const;
export const backendModeNames = ['exact', 'fast'] as const;
export const egdVariantNames = ['all-tensors', 'paper', 'column-norm'] as const;

export type TaskName = (typeof taskNames)[number];
export type LossName = (typeof lossNames)[number];
export type OptimizerName = (typeof optimizerNames)[number];
export type OrderName = (typeof orderNames)[number];
export type AlgorithmName = (typeof algorithmNames)[number];
export type ZeroGradientBatchRule = (typeof zeroGradientBatchRules)[number];
export type EgdVariant = (typeof egdVariantNames)[number];

const positiveInt = z.number().int().positive();

/** Fields of a training configuration; every one has the canonical default of the seeds. */
export const trainConfigFields = {
  task: z.enum(taskNames).default('parity'),
  n_bits: positiveInt.default(20),
  k: positiveInt.default(3),
  /** Modulus p for mod-add / mod-mul. */
  modulus: positiveInt.min(2).default(97),
  /** Fraction of all p*p pairs used for training (mod tasks); the rest is the test set. */
  train_fraction: z.number().gt(0).lt(1).default(0.5),
  hidden: positiveInt.default(200),
  lr: z.number().positive().default(0.1),
  wd: z.number().nonnegative().default(0.01),
  batch_size: positiveInt.default(32),
  n_train: positiveInt.default(1000),
  n_test: positiveInt.default(200),
  max_epochs: positiveInt.default(200),
  /** Default: hinge for parity/and, mse for sum, cross-entropy for mod tasks. */
  loss: z.enum(lossNames).optional(),
  optimizer: z.enum(optimizerNames).default('sgd'),
  grokfast_alpha: z.number().min(0).lt(1).default(0.98),
  grokfast_lambda: z.number().nonnegative().default(2.0),
  order: z.enum(orderNames).default('standard'),
  algorithm: z.enum(algorithmNames).default('backprop'),
  /** Stage sizes of n for curriculum learning, e.g. [10, 20]; the last must equal n_bits. */
  curriculum: z.array(positiveInt).min(2).optional(),
  /** Forward-forward goodness threshold (per hidden unit, mean of squares). */
  ff_threshold: z.number().positive().default(2.0),
  /**
   * Evaluate the training set every this many epochs: 1 = every epoch (the default), k = epochs k, 2k, ...,
   * 0 = never. The stop rule needs only the test set; epochs without it record train_acc and train_loss as null.
   */
  eval_train_every: z.number().int().nonnegative().default(1),
  /**
   * Backprop, a batch in which no sample contributes a gradient (every hinge margin met): 'skip' the whole update
   * (the seeds' rule: no weight decay, GrokFast's EMA untouched, EGD not applied), or 'update' anyway with a zero loss
   * gradient (weight decay and the optimizer's state still step). Forward-forward always updates.
   */
  zero_gradient_batch: z.enum(zeroGradientBatchRules).default('skip'),
  /**
   * With optimizer egd: 'all-tensors' when absent (every matrix's gradient -> U V^T, biases -> unit vectors, decoupled weight decay
   * on every tensor), or 'paper' (the EGD paper's main-results code: only W1's gradient is whitened, with the L2 term wd * W1 inside it;
   * b1 and W2 take plain gradient steps, W2 with L2, b1 without; the output bias stays at zero, i.e. no output bias), or 'column-norm'
   * (a cheaper transform in place of U V^T: each hidden unit's gradient, W1's row and W2's column, divided by its norm, at least 0.01,
   * the paper code's col_norm; biases, scalars and the decoupled decay as 'all-tensors'). No default, so existing configs and hashes
   * stay as they were.
   */
  egd_variant: z.enum(egdVariantNames).optional(),
  /** Kernels (core/wasm): 'ts' when absent (the reference), or 'wasm' (falls back to ts where wasm SIMD is missing). No default, so existing configs and hashes stay as they were. */
  backend: z.enum(backendNames).optional(),
  /** With backend wasm: 'exact' when absent (the TS kernels' bits) or 'fast' (f32x4 sums; results differ near 1e-7). */
  backend_mode: z.enum(backendModeNames).optional(),
};

export const TrainConfigInputSchema = z.object(trainConfigFields).strict();

/** The same keys, all optional and WITHOUT defaults: a spec's base and an arm's overrides name only what they change. */
export const TrainConfigOverridesSchema = z
  .object(
    Object.fromEntries(
      Object.entries(trainConfigFields).map(([key, schema]) => [key, (schema instanceof z.ZodDefault ? schema.unwrap() : schema).optional()]),
    ) as unknown as { [K in keyof typeof trainConfigFields]: z.ZodOptional<z.ZodType<z.output<(typeof trainConfigFields)[K]>>> },
  )
  .strict();

export const TrainConfigSchema = TrainConfigInputSchema.superRefine(checkConsistency).transform((config) => ({
  ...config,
  loss: config.loss ?? defaultLoss(config.task),
}));

export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type TrainConfig = z.output<typeof TrainConfigSchema>;

export function defaultLoss(task: TaskName): LossName {
  if (task === 'sum') return 'mse';
  if (task === 'mod-add' || task === 'mod-mul') return 'cross-entropy';
  return 'hinge';
}

export function isModularTask(task: TaskName): boolean {
  return task === 'mod-add' || task === 'mod-mul';
}

type Config = z.infer<typeof TrainConfigInputSchema>;

function checkConsistency(config: Config, ctx: z.RefinementCtx): void {
  const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!isModularTask(config.task) && config.k > config.n_bits) {
    fail('k', `k = ${config.k} secret bits cannot exceed n_bits = ${config.n_bits}; use k <= n_bits`);
  }
  const loss = config.loss ?? defaultLoss(config.task);
  if (isModularTask(config.task) && loss !== 'cross-entropy' && loss !== 'mse') {
    fail('loss', `${config.task} has ${config.modulus} classes; use loss cross-entropy or mse, not ${loss}`);
  }
  if (!isModularTask(config.task) && loss === 'cross-entropy') {
    fail('loss', `${config.task} has one output; for binary cross-entropy on a sigmoid use loss logistic`);
  }
  if (config.task === 'sum' && (loss === 'hinge' || loss === 'logistic')) {
    fail('loss', `sum is a regression task; use loss mse, not ${loss}`);
  }
  if (config.egd_variant && config.optimizer !== 'egd')
    fail('egd_variant', `egd_variant applies to optimizer egd, not ${config.optimizer}; drop it or set optimizer egd`);
  if (config.curriculum) checkCurriculum(config, fail);
  if (config.algorithm === 'forward-forward') {
    if (isModularTask(config.task) || config.task === 'sum') {
      fail('algorithm', `forward-forward supports the binary tasks (parity, and), not ${config.task}`);
    }
    if (config.optimizer === 'egd' || config.curriculum) {
      fail('algorithm', 'forward-forward runs with sgd, sign-sgd or grokfast and without a curriculum');
    }
  }
}

function checkCurriculum(config: Config, fail: (path: string, message: string) => void): void {
  const stages = config.curriculum!;
  if (isModularTask(config.task)) fail('curriculum', `a curriculum over n needs a bit task, not ${config.task}`);
  for (let i = 1; i < stages.length; i++) {
    if (stages[i]! <= stages[i - 1]!) {
      fail('curriculum', `stages must increase strictly, got ${stages.join(',')}`);
      return;
    }
  }
  if (stages[0]! < config.k) fail('curriculum', `the first stage (${stages[0]}) must be at least k = ${config.k}`);
  if (stages[stages.length - 1] !== config.n_bits) {
    fail('curriculum', `the last stage (${stages[stages.length - 1]}) must equal n_bits = ${config.n_bits}`);
  }
}

/** Parses a config, throwing a TrainConfigError that names each bad field, its value and the fix. */
export function parseTrainConfig(input: unknown, source = 'config'): TrainConfig {
  const result = TrainConfigSchema.safeParse(input);
  if (!result.success) throw new TrainConfigError(source, formatIssues(result.error, input));
  return result.data;
}

export class TrainConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid training config\n  - ${problems.join('\n  - ')}`);
    this.name = 'TrainConfigError';
  }
}

/** One line per zod issue: `field (value): message`. */
export function formatIssues(error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join('.');
    const value = valueAt(input, issue.path);
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
    return `${path || '(root)'}${shown}: ${issue.message}`;
  });
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
