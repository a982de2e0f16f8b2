// Optimizers as small gradient transforms with explicit state (optax style): each rewrites one
// tensor's gradient in place; applyUpdate then does the seeds' p <- p - lr * (g + wd * p).
// sgd: identity. sign-sgd: sign(g) (Kou et al. 2024). grokfast: g + lambda * EMA(g) (Lee et al. 2024).
// egd: each matrix's gradient -> U V^T, all singular values 1 (arXiv:2510.04930); vector -> unit vector; scalar -> sign.
import type { OptimizerName } from './config.js';
import { createOrthogonalizeWorkspace, orthogonalize, type OrthogonalizeWorkspace } from './linalg.js';
import type { ParamLayout, TensorName, TensorView } from './params.js';
import type { Tracker } from './tracker.js';

export type OptimizerOptions = { optimizer: OptimizerName; grokfast_alpha: number; grokfast_lambda: number };

export type OptimizerState = {
  /** GrokFast: the gradient EMA per tensor (null until the first gradient arrives). */
  ema: Partial<Record<TensorName, Float32Array | null>>;
  /** EGD: preallocated Gram/eigen buffers per matrix tensor. */
  egd: Partial<Record<TensorName, OrthogonalizeWorkspace>>;
};

export function initOptimizerState(options: OptimizerOptions, layout: ParamLayout): OptimizerState {
  const state: OptimizerState = { ema: {}, egd: {} };
  for (const tensor of layout.tensors) {
    if (options.optimizer === 'grokfast') state.ema[tensor.name] = null;
    if (options.optimizer === 'egd' && isMatrix(tensor)) state.egd[tensor.name] = createOrthogonalizeWorkspace(tensor.rows, tensor.cols);
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
      tracker.read(`d${tensor.name}`, grad.length);
      signInPlace(grad);
      tracker.write(`d${tensor.name}`, grad.length);
      return;
    case 'grokfast':
      return grokfast(grad, tensor, state, options, tracker);
    case 'egd':
      return egd(grad, tensor, state, tracker);
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
  const name = `grokfast.${tensor.name}`;
  let ema = state.ema[tensor.name];
  tracker.read(`d${tensor.name}`, grad.length);
  if (!ema) {
    ema = state.ema[tensor.name] = grad.slice();
  } else {
    tracker.read(name, ema.length);
    const alpha = options.grokfast_alpha;
    for (let i = 0; i < grad.length; i++) ema[i] = alpha * ema[i]! + (1 - alpha) * grad[i]!;
  }
  tracker.write(name, ema.length);
  const lambda = options.grokfast_lambda;
  for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! + lambda * ema[i]!;
  tracker.write(`d${tensor.name}`, grad.length);
}

function egd(grad: Float32Array, tensor: TensorView, state: OptimizerState, tracker: Tracker): void {
  const gradName = `d${tensor.name}`;
  tracker.read(gradName, grad.length);
  const workspace = state.egd[tensor.name];
  if (workspace) {
    const m = workspace.m;
    tracker.write(`egd.gram.${tensor.name}`, m * m);
    tracker.read(`egd.gram.${tensor.name}`, m * m);
    orthogonalize(grad, tensor.rows, tensor.cols, workspace);
    tracker.read(gradName, grad.length);
  } else if (grad.length === 1) {
    signInPlace(grad);
  } else {
    unitInPlace(grad);
  }
  tracker.write(gradName, grad.length);
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
export function applyUpdate(param: Float32Array, grad: Float32Array, lr: number, wd: number, name: string, tracker: Tracker): void {
  tracker.read(name, param.length);
  tracker.read(`d${name}`, grad.length);
  for (let i = 0; i < param.length; i++) param[i] = param[i]! - lr * (grad[i]! + wd * param[i]!);
  tracker.write(name, param.length);
}
