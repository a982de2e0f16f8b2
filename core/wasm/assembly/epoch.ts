// All of an epoch's steps in one call (core/wasm/epoch.ts decides when a run may take it): backprop in the standard
// update order, SGD or EGD, hinge loss on one output, dense or sign inputs, no tracker. Each step is core/backprop.ts
// trainStep with the kernels core/wasm/kernels.ts would call, in the same order, so exact mode keeps the TS bits:
// gather, forward, hinge loss scaled by 1/B, the seeds' zero-gradient rule, backward, gradient norms, W2 b2 W1 b1 updates.
import {
  applyUpdate,
  backwardThroughReluSingle,
  buildSignTables,
  linearForwardExact,
  l2NormFast,
  linearForwardFast,
  reluForward,
  signLookupForward,
  weightGradientExact,
  weightGradientFast,
} from './kernels';
import { orthogonalizeExact } from './egd';
import { signHiddenFast, signWeightGradientExact, signWeightGradientFast } from './signs';

// The context block (i32 words, then f64 words from F64_AT), written by core/wasm/epoch.ts in the same order.
const W1 = 0;
const B1 = 1;
const W2 = 2;
const B2 = 3;
const DW1 = 4;
const DB1 = 5;
const DW2 = 6;
const DB2 = 7;
const X = 8;
const Y = 9;
const HID = 10;
const OUT = 11;
const DOUT = 12;
const DH = 13;
const TRAIN_X = 14;
const TRAIN_Y = 15;
const ORDER = 16;
const COUNT = 17;
const INPUTS = 18;
const HIDDEN = 19;
const BATCH = 20;
const EXACT = 21;
const SKIP_ZERO = 22;
const TRANSPOSED = 23;
const SIGN_TABLE = 24;
const SIGN_OFFSETS = 25;
const SIGN_ACC = 26;
const SIGN_INPUTS = 27;
const GRADS = 28;
const GRAD_FLOATS = 29;
const EGD = 30;
const EGD_WORKSPACE = 31;
const FAILED = 32;
const SIGN_MASKS = 33;
const KEPT_ROWS = 34;
const F64_AT: usize = 192;
const LR = 0;
const WD = 1;
const NORM1 = 2;
const NORM2 = 3;
const DIVERGED_LOSS = 4;
const GRADIENTS = 5;
const UPDATES = 6;
const DIVERGED_SIZE = 7;

/** A loss above this per sample, or not finite, ends the run (core/run-recorder.ts DIVERGENCE_LOSS). */
const DIVERGENCE_LOSS: f64 = 1e6;

@inline function word(ctx: usize, index: i32): i32 {
  return load<i32>(ctx + (<usize>index << 2));
}

@inline function ptr(ctx: usize, index: i32): usize {
  return <usize>load<i32>(ctx + (<usize>index << 2));
}

@inline function real(ctx: usize, index: i32): f64 {
  return load<f64>(ctx + F64_AT + (<usize>index << 3));
}

@inline function setReal(ctx: usize, index: i32, value: f64): void {
  store<f64>(ctx + F64_AT + (<usize>index << 3), value);
}

/** sqrt of the f64 sum of squares: in index order in exact mode (core/metrics.ts l2Norm), in eight lanes in fast mode. */
function l2Norm(ctx: usize, p: usize, N: i32): f64 {
  if (word(ctx, EXACT) === 0) return l2NormFast(p, N);
  let sum: f64 = 0;
  for (let i = 0; i < N; i++) {
    const v = <f64>load<f32>(p + (<usize>i << 2));
    sum += v * v;
  }
  return Math.sqrt(sum);
}

/**
 * One epoch over the rows in ORDER (already shuffled). Writes the outcome into the f64 words: NORM1 / NORM2 summed
 * over steps with a gradient, GRADIENTS, UPDATES, and DIVERGED_SIZE > 0 with DIVERGED_LOSS when a step diverged.
 */
export function trainEpochSteps(ctx: usize): void {
  const count = word(ctx, COUNT);
  const B = word(ctx, BATCH);
  let norm1: f64 = 0;
  let norm2: f64 = 0;
  let gradients = 0;
  let updates = 0;
  setReal(ctx, DIVERGED_SIZE, 0);
  for (let start = 0; start < count; start += B) {
    const size = min(B, count - start);
    gather(ctx, start, size);
    forward(ctx, size);
    const contributing = hingeLoss(ctx, size);
    // The step runs to its end before the driver looks at its loss, as in TS.
    let updated = false;
    let gradNorm1: f64 = 0;
    let gradNorm2: f64 = 0;
    if (contributing > 0) {
      // The sign-input kernels write all of dW1 and db1: only dW2, db2 need their zeros.
      if (word(ctx, SIGN_INPUTS) !== 0) {
        memory.fill(ptr(ctx, DW2), 0, <usize>word(ctx, HIDDEN) << 2);
        store<f32>(ptr(ctx, DB2), 0);
      } else memory.fill(ptr(ctx, GRADS), 0, <usize>word(ctx, GRAD_FLOATS) << 2);
      gradNorm2 = backward(ctx, size);
      gradNorm1 = l2Norm(ctx, ptr(ctx, DW1), word(ctx, HIDDEN) * word(ctx, INPUTS));
      update(ctx);
      updated = true;
    } else if (!word(ctx, SKIP_ZERO)) {
      memory.fill(ptr(ctx, GRADS), 0, <usize>word(ctx, GRAD_FLOATS) << 2);
      update(ctx);
      updated = true;
    }
    const lossSum = real(ctx, DIVERGED_LOSS);
    if (!isFinite<f64>(lossSum) || lossSum / <f64>size > DIVERGENCE_LOSS) {
      setReal(ctx, DIVERGED_SIZE, <f64>size);
      break;
    }
    if (updated) updates++;
    if (contributing > 0) {
      norm1 += gradNorm1;
      norm2 += gradNorm2;
      gradients++;
    }
  }
  setReal(ctx, NORM1, norm1);
  setReal(ctx, NORM2, norm2);
  setReal(ctx, GRADIENTS, <f64>gradients);
  setReal(ctx, UPDATES, <f64>updates);
}

/** gatherRows: rows order[start..start+size) into x and y. */
function gather(ctx: usize, start: i32, size: i32): void {
  const I = word(ctx, INPUTS);
  const rowBytes = <usize>I << 2;
  const order = ptr(ctx, ORDER);
  for (let b = 0; b < size; b++) {
    const row = <usize>load<i32>(order + (<usize>(start + b) << 2));
    memory.copy(ptr(ctx, X) + <usize>b * rowBytes, ptr(ctx, TRAIN_X) + row * rowBytes, rowBytes);
    store<f32>(ptr(ctx, Y) + (<usize>b << 2), load<f32>(ptr(ctx, TRAIN_Y) + (row << 2)));
  }
}

/**
 * forwardBatch: the hidden layer (the sign tables in exact mode from 16 rows on, as the TS kernel set; in fast mode
 * linearForwardFast's numbers with sign flips for products), then out.
 */
function forward(ctx: usize, size: i32): void {
  const I = word(ctx, INPUTS);
  const H = word(ctx, HIDDEN);
  const exact = word(ctx, EXACT) !== 0;
  const wt = ptr(ctx, TRANSPOSED);
  if (!exact && word(ctx, SIGN_INPUTS) !== 0) {
    signHiddenFast(ptr(ctx, HID), ptr(ctx, X), ptr(ctx, W1), ptr(ctx, B1), size, I, H, wt, ptr(ctx, SIGN_MASKS), false);
  } else if (exact && word(ctx, SIGN_INPUTS) !== 0 && size >= 16) {
    const acc = ptr(ctx, SIGN_ACC);
    buildSignTables(ptr(ctx, SIGN_TABLE), ptr(ctx, W1), I, H, wt, acc);
    signLookupForward(ptr(ctx, HID), ptr(ctx, X), ptr(ctx, B1), size, I, H, ptr(ctx, SIGN_TABLE), ptr(ctx, SIGN_OFFSETS), acc);
  } else {
    if (exact) linearForwardExact(ptr(ctx, HID), ptr(ctx, X), ptr(ctx, W1), ptr(ctx, B1), size, I, H, wt);
    else linearForwardFast(ptr(ctx, HID), ptr(ctx, X), ptr(ctx, W1), ptr(ctx, B1), size, I, H, wt);
    reluForward(ptr(ctx, HID), ptr(ctx, HID), size * H);
  }
  if (exact) linearForwardExact(ptr(ctx, OUT), ptr(ctx, HID), ptr(ctx, W2), ptr(ctx, B2), size, H, 1, wt);
  else linearForwardFast(ptr(ctx, OUT), ptr(ctx, HID), ptr(ctx, W2), ptr(ctx, B2), size, H, 1, wt);
}

/** batchLossBackward with hinge on one output: dout = -t / B where the margin t*y < 1; the loss sum in DIVERGED_LOSS. */
function hingeLoss(ctx: usize, size: i32): i32 {
  const out = ptr(ctx, OUT);
  const labels = ptr(ctx, Y);
  const dout = ptr(ctx, DOUT);
  let lossSum: f64 = 0;
  let contributing = 0;
  for (let b = 0; b < size; b++) {
    const k = <usize>b << 2;
    const t = <f64>load<f32>(labels + k);
    const margin = t * <f64>load<f32>(out + k);
    let grad: f64 = 0;
    if (margin < 1) {
      lossSum += 1 - margin;
      grad = -t;
    } else lossSum += 0;
    if (grad != 0) contributing++;
    store<f32>(dout + k, <f32>grad);
  }
  const scale: f64 = 1 / <f64>size;
  for (let b = 0; b < size; b++) {
    const k = <usize>b << 2;
    store<f32>(dout + k, <f32>(<f64>load<f32>(dout + k) * scale));
  }
  setReal(ctx, DIVERGED_LOSS, lossSum);
  return contributing;
}

/** backwardLayer2 then backwardLayer1 (outputLayerBackward with O = 1, then the weight gradient of layer 1); returns ||dW2||. */
function backward(ctx: usize, size: i32): f64 {
  const I = word(ctx, INPUTS);
  const H = word(ctx, HIDDEN);
  const exact = word(ctx, EXACT) !== 0;
  if (exact) weightGradientExact(ptr(ctx, DW2), ptr(ctx, DB2), ptr(ctx, DOUT), ptr(ctx, HID), size, H, 1);
  else weightGradientFast(ptr(ctx, DW2), ptr(ctx, DB2), ptr(ctx, DOUT), ptr(ctx, HID), size, H, 1);
  backwardThroughReluSingle(ptr(ctx, DH), ptr(ctx, DOUT), ptr(ctx, W2), ptr(ctx, HID), size, H);
  const gradNorm2 = l2Norm(ctx, ptr(ctx, DW2), H);
  if (word(ctx, SIGN_INPUTS) !== 0) {
    // dW1^T in the transposed-weights scratch (the forward is done with it).
    const dwt = ptr(ctx, TRANSPOSED);
    const kernel = exact ? signWeightGradientExact : signWeightGradientFast;
    kernel(ptr(ctx, DW1), ptr(ctx, DB1), ptr(ctx, DH), ptr(ctx, X), ptr(ctx, DOUT), size, I, H, dwt, ptr(ctx, SIGN_MASKS), ptr(ctx, KEPT_ROWS));
  } else if (exact) weightGradientExact(ptr(ctx, DW1), ptr(ctx, DB1), ptr(ctx, DH), ptr(ctx, X), size, I, H);
  else weightGradientFast(ptr(ctx, DW1), ptr(ctx, DB1), ptr(ctx, DH), ptr(ctx, X), size, I, H);
  return gradNorm2;
}

/**
 * updateLayer(2) then updateLayer(1): each tensor's gradient through the optimizer's transform (SGD: none; EGD as
 * core/optimizers.ts: a matrix -> its polar factor, a vector -> unit, a scalar -> sign), then p <- p - lr (g + wd p).
 */
function update(ctx: usize): void {
  const I = word(ctx, INPUTS);
  const H = word(ctx, HIDDEN);
  const lr = real(ctx, LR);
  const wd = real(ctx, WD);
  const egd = word(ctx, EGD) !== 0;
  if (egd) transform(ctx, ptr(ctx, DW2), 1, H, false);
  applyUpdate(ptr(ctx, W2), ptr(ctx, DW2), H, lr, wd);
  if (egd) transform(ctx, ptr(ctx, DB2), 1, 1, true);
  applyUpdate(ptr(ctx, B2), ptr(ctx, DB2), 1, lr, wd);
  if (egd) transform(ctx, ptr(ctx, DW1), H, I, false);
  applyUpdate(ptr(ctx, W1), ptr(ctx, DW1), H * I, lr, wd);
  if (egd) transform(ctx, ptr(ctx, DB1), 1, H, true);
  applyUpdate(ptr(ctx, B1), ptr(ctx, DB1), H, lr, wd);
}

/** EGD's transform of one tensor's gradient (rows x cols); QL failures are left in FAILED (-1 - eigenvalue). */
function transform(ctx: usize, grad: usize, rows: i32, cols: i32, isBias: bool): void {
  const N = rows * cols;
  if (!isBias && rows > 1 && cols > 1) {
    const rank = orthogonalizeExact(grad, rows, cols, ptr(ctx, EGD_WORKSPACE));
    if (rank < 0 && word(ctx, FAILED) === 0) store<i32>(ctx + (<usize>FAILED << 2), rank);
    return;
  }
  if (N === 1) {
    const v = load<f32>(grad);
    store<f32>(grad, v > 0 ? 1 : v < 0 ? -1 : 0);
    return;
  }
  let sum: f64 = 0;
  for (let i = 0; i < N; i++) {
    const v = <f64>load<f32>(grad + (<usize>i << 2));
    sum += v * v;
  }
  if (sum === 0) return;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < N; i++) store<f32>(grad + (<usize>i << 2), <f32>(<f64>load<f32>(grad + (<usize>i << 2)) * scale));
}
