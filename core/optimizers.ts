// Optimizers as small gradient transforms with explicit state (optax style): each rewrites one
// tensor's gradient in place; applyUpdate then does the seeds' p <- p - lr * (g + wd * p).
// sgd: identity. sign-sgd: sign(g) (Kou et al. 2024). grokfast: g + lambda * EMA(g) (Lee et al. 2024).
// egd: each matrix's gradient -> U V^T, all singular values 1 (arXiv:2510.04930); vector -> unit vector; scalar -> sign.
// egd with egd_variant column-norm: each hidden unit's gradient of a matrix -> unit norm instead of U V^T (no eigen-decomposition).
import type { EgdVariant, OptimizerName } from './config.js';
import { createOrthogonalizeWorkspace, orthogonalize, type OrthogonalizeWorkspace } from './linalg.js';
import type { ParamLayout, TensorName, TensorView } from './params.js';
import { trackReads, trackWrites, type Binding, type KernelTraffic } from './traffic.js';
import type { Stage, Tracker } from './tracker.js';

export type OptimizerOptions = { optimizer: OptimizerName; grokfast_alpha: number; grokfast_lambda: number; egd_variant?: EgdVariant | undefined };

export type OptimizerState = {
  /** GrokFast: the gradient EMA per tensor (null until the first gradient arrives). */
  ema: Partial<Record<TensorName, Float32Array | null>>;
  /** EGD: preallocated Gram/eigen buffers per matrix tensor. */
  egd: Partial<Record<TensorName, OrthogonalizeWorkspace>>;
  /** EGD's polar factor: core/linalg.ts orthogonalize, or a kernel set's twin with its bits (core/wasm/kernels.ts). */
  orthogonalize: typeof orthogonalize;
};

/** In-place gradient transforms (sign, unit vector) of N floats. */
export const inPlaceTraffic: KernelTraffic<'grad'> = {
  reads: [{ arg: 'grad', floats: (N) => N }],
  writes: [{ arg: 'grad', floats: (N) => N }],
};

/** grokfast (N, warm): the EMA is read once it exists (warm = 1), then both are written. */
export const grokfastTraffic: KernelTraffic<'grad' | 'ema'> = {
  reads: [
    { arg: 'grad', floats: (N) => N },
    { arg: 'ema', floats: (N, warm) => N * warm },
  ],
  writes: [
    { arg: 'ema', floats: (N) => N },
    { arg: 'grad', floats: (N) => N },
  ],
};

/** EGD's orthogonalization of an N-float matrix through its m x m Gram matrix (N, m): first the Gram, then U V^T. */
export const egdGramTraffic: KernelTraffic<'grad' | 'gram'> = {
  reads: [{ arg: 'grad', floats: (N) => N }],
  writes: [{ arg: 'gram', floats: (_N, m) => m * m }],
};
export const egdOrthogonalizeTraffic: KernelTraffic<'grad' | 'gram'> = {
  reads: [
    { arg: 'gram', floats: (_N, m) => m * m },
    { arg: 'grad', floats: (N) => N },
  ],
  writes: [{ arg: 'grad', floats: (N) => N }],
};

/** applyUpdate (N): param and grad in, param out. */
export const applyUpdateTraffic: KernelTraffic<'param' | 'grad'> = {
  reads: [
    { arg: 'param', floats: (N) => N },
    { arg: 'grad', floats: (N) => N },
  ],
  writes: [{ arg: 'param', floats: (N) => N }],
};

/** Tracker buffers of each tensor's transform and update, named once. */
const tensorNames: TensorName[] = ['W1', 'b1', 'W2', 'b2'];
const bindings = <B>(make: (name: TensorName) => B) => Object.fromEntries(tensorNames.map((name) => [name, make(name)])) as Record<TensorName, B>;
const gradBinding = bindings((name): Binding<'grad'> => ({ grad: `d${name}` }));
const grokfastBinding = bindings((name): Binding<'grad' | 'ema'> => ({ grad: `d${name}`, ema: `grokfast.${name}` }));
const egdBinding = bindings((name): Binding<'grad' | 'gram'> => ({ grad: `d${name}`, gram: `egd.gram.${name}` }));
const updateBinding = bindings((name): Binding<'param' | 'grad'> => ({ param: name, grad: `d${name}` }));

/** orthogonalizeKernel: the run's kernel set's orthogonalize (the TS one unless a backend provides its twin). */
export function initOptimizerState(options: OptimizerOptions, layout: ParamLayout, orthogonalizeKernel: typeof orthogonalize = orthogonalize): OptimizerState {
  const state: OptimizerState = { ema: {}, egd: {}, orthogonalize: orthogonalizeKernel };
  for (const tensor of layout.tensors) {
    if (options.optimizer === 'grokfast') state.ema[tensor.name] = null;
    if (options.optimizer === 'egd' && isMatrix(tensor) && options.egd_variant !== 'column-norm' && (options.egd_variant !== 'paper' || tensor.name === 'W1'))
      state.egd[tensor.name] = createOrthogonalizeWorkspace(tensor.rows, tensor.cols);
  }
  return state;
}

/** A weight matrix with more than one row and column (EGD orthogonalizes those). */
export function isMatrix(tensor: TensorView): boolean {
  return !tensor.isBias && tensor.rows > 1 && tensor.cols > 1;
}

export function transformGradient(grad: Float32Array, tensor: TensorView, state: OptimizerState, options: OptimizerOptions, tracker: Tracker): void {
  switch (options.optimizer) {
    case 'sgd':
      return;
    case 'sign-sgd':
      trackReads(tracker, inPlaceTraffic, gradBinding[tensor.name], grad.length);
      signInPlace(grad);
      trackWrites(tracker, inPlaceTraffic, gradBinding[tensor.name], grad.length);
      return;
    case 'grokfast':
      return grokfast(grad, tensor, state, options, tracker);
    case 'egd':
      return options.egd_variant === 'column-norm' && isMatrix(tensor) ? columnNorm(grad, tensor, tracker) : egd(grad, tensor, state, tracker);
  }
}

function signInPlace(values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    values[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
  }
}

/** ema <- alpha ema + (1 - alpha) g (starting at the first gradient, as the paper's code); g <- g + lambda ema. */
function grokfast(grad: Float32Array, tensor: TensorView, state: OptimizerState, options: OptimizerOptions, tracker: Tracker): void {
  let ema = state.ema[tensor.name];
  const binding = grokfastBinding[tensor.name];
  trackReads(tracker, grokfastTraffic, binding, grad.length, ema ? 1 : 0);
  if (!ema) {
    ema = state.ema[tensor.name] = grad.slice();
  } else {
    const alpha = options.grokfast_alpha;
    for (let i = 0; i < grad.length; i++) ema[i] = alpha * ema[i]! + (1 - alpha) * grad[i]!;
  }
  const lambda = options.grokfast_lambda;
  for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! + lambda * ema[i]!;
  trackWrites(tracker, grokfastTraffic, binding, grad.length);
}

function egd(grad: Float32Array, tensor: TensorView, state: OptimizerState, tracker: Tracker): void {
  const workspace = state.egd[tensor.name];
  if (workspace) {
    const binding = egdBinding[tensor.name];
    trackReads(tracker, egdGramTraffic, binding, grad.length, workspace.m);
    trackWrites(tracker, egdGramTraffic, binding, grad.length, workspace.m);
    trackReads(tracker, egdOrthogonalizeTraffic, binding, grad.length, workspace.m);
    state.orthogonalize(grad, tensor.rows, tensor.cols, workspace);
    trackWrites(tracker, egdOrthogonalizeTraffic, binding, grad.length, workspace.m);
    return;
  }
  trackReads(tracker, inPlaceTraffic, gradBinding[tensor.name], grad.length);
  if (grad.length === 1) signInPlace(grad);
  else unitInPlace(grad);
  trackWrites(tracker, inPlaceTraffic, gradBinding[tensor.name], grad.length);
}

/** The EGD paper code's col_norm (main-results/mod_add.py) on our layout: each hidden unit's gradient (a row of W1, a column of W2) divided by max(its norm, 0.01). */
function columnNorm(grad: Float32Array, tensor: TensorView, tracker: Tracker): void {
  trackReads(tracker, inPlaceTraffic, gradBinding[tensor.name], grad.length);
  const { rows, cols } = tensor;
  // A unit's gradient: a row of W1 (contiguous), or a column of W2 (every cols-th float).
  const [units, length, unitStride, step] = tensor.name === 'W1' ? [rows, cols, cols, 1] : [cols, rows, 1, cols];
  for (let unit = 0; unit < units; unit++) {
    const start = unit * unitStride;
    const end = start + length * step;
    let sum = 0;
    for (let i = start; i < end; i += step) sum += grad[i]! * grad[i]!;
    const scale = Math.max(Math.sqrt(sum), 0.01);
    for (let i = start; i < end; i += step) grad[i] = grad[i]! / scale;
  }
  trackWrites(tracker, inPlaceTraffic, gradBinding[tensor.name], grad.length);
}

/** g <- g / ||g|| (a zero vector stays zero). */
function unitInPlace(values: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  if (sum === 0) return;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * scale;
}

/** p <- p - lr * (g + wd * p), the seeds' update on every tensor. */
export function applyUpdate(param: Float32Array, grad: Float32Array, lr: number, wd: number, name: TensorName, tracker: Tracker): void {
  trackReads(tracker, applyUpdateTraffic, updateBinding[name], param.length);
  for (let i = 0; i < param.length; i++) param[i] = param[i]! - lr * (grad[i]! + wd * param[i]!);
  trackWrites(tracker, applyUpdateTraffic, updateBinding[name], param.length);
}

export type UpdateOptions = OptimizerOptions & { lr: number; wd: number };

const transformStage: Stage = 'transform';
const updateStage: Stage = 'update';

/** One tensor's step: its gradient through the optimizer's transform, then the seeds' update (every algorithm's; apply: a kernel set's twin of applyUpdate). */
export function updateTensor(
  param: Float32Array,
  grad: Float32Array,
  tensor: TensorView,
  state: OptimizerState,
  options: UpdateOptions,
  tracker: Tracker,
  apply: typeof applyUpdate = applyUpdate,
): void {
  if (options.optimizer === 'egd' && options.egd_variant === 'paper') return paperEgdUpdate(param, grad, tensor, state, options, tracker, apply);
  tracker.begin(transformStage);
  transformGradient(grad, tensor, state, options, tracker);
  tracker.end(transformStage);
  tracker.begin(updateStage);
  apply(param, grad, options.lr, options.wd, tensor.name, tracker);
  tracker.end(updateStage);
}

/** coupledDecay (N): g <- g + wd * p reads both and writes the gradient. */
export const coupledDecayTraffic: KernelTraffic<'param' | 'grad'> = applyUpdateTraffic;
const decayBinding = bindings((name): Binding<'param' | 'grad'> => ({ param: name, grad: `d${name}` }));

/**
 * The EGD paper's own update (asahebpa/Egalitarian-Gradient-Descent, main-results/mod_add.py): the loss carries
 * 0.5 wd (|W1|^2 + |W2|^2), only W1's gradient (L2 term included) is whitened, every other tensor takes a plain step,
 * b1 without decay. The model there has no output bias: b2 starts at zero and is never updated.
 */
function paperEgdUpdate(
  param: Float32Array,
  grad: Float32Array,
  tensor: TensorView,
  state: OptimizerState,
  options: UpdateOptions,
  tracker: Tracker,
  apply: typeof applyUpdate,
): void {
  if (tensor.name === 'b2') return;
  tracker.begin(transformStage);
  if (tensor.name === 'W1') {
    trackReads(tracker, coupledDecayTraffic, decayBinding.W1, param.length);
    for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! + options.wd * param[i]!;
    trackWrites(tracker, coupledDecayTraffic, decayBinding.W1, param.length);
    egd(grad, tensor, state, tracker);
  }
  tracker.end(transformStage);
  tracker.begin(updateStage);
  apply(param, grad, options.lr, tensor.name === 'W2' ? options.wd : 0, tensor.name, tracker);
  tracker.end(updateStage);
}
