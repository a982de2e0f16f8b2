// Kernel sets: the training step's hot kernels behind one object, so a run can swap the TypeScript reference for the
// WebAssembly SIMD module (core/wasm/assembly/kernels.ts) without a second copy of the loop. The TS kernels define
// the maths; `wasm-exact` gives their bits, `wasm-fast` adds in f32x4 lanes (differences near 1e-7 relative).
import {
  hiddenForward,
  linearBackward,
  linearBackwardThroughRelu,
  linearForward,
  outputLayerBackward,
  reluBackward,
  reluForward,
  SIGN_TABLE_MIN_ROWS,
  type SignTables,
} from '../mlp.js';
import { checkOrthogonalizeArguments, orthogonalize, type OrthogonalizeWorkspace } from '../linalg.js';
import { oneHotHiddenForward, oneHotWeightGradient } from '../one-hot.js';
import { applyUpdate, applyUpdateTraffic } from '../optimizers.js';
import { trackReads, trackWrites } from '../traffic.js';
import type { ParamLayout, TensorName, TensorView } from '../params.js';
import type { Tracker } from '../tracker.js';
import { WasmArena, wasmSimdAvailable, type WasmExports } from './arena.js';

export type BackendName = 'ts' | 'wasm';

/** Inputs per sign-table group (core/mlp.ts SIGN_GROUP). */
const SIGN_GROUP = 5;
export type BackendMode = 'exact' | 'fast';

/** The kernels a training step calls; every set has the TS kernels' signatures and argument order. */
export type Kernels = {
  /** 'ts', 'wasm-exact' or 'wasm-fast': what the run actually used (after any fallback). */
  name: 'ts' | 'wasm-exact' | 'wasm-fast';
  /** The wasm memory the set runs on (null for the TS kernels). */
  arena: WasmArena | null;
  /** A zeroed Float32Array the kernels read without copying (a view on the wasm memory for wasm sets). */
  allocate(length: number): Float32Array;
  linearForward: typeof linearForward;
  hiddenForward: typeof hiddenForward;
  linearBackward: typeof linearBackward;
  linearBackwardThroughRelu: typeof linearBackwardThroughRelu;
  outputLayerBackward: typeof outputLayerBackward;
  reluForward: typeof reluForward;
  reluBackward: typeof reluBackward;
  applyUpdate: typeof applyUpdate;
  oneHotHiddenForward: typeof oneHotHiddenForward;
  oneHotWeightGradient: typeof oneHotWeightGradient;
  /**
   * The hidden layer on +-1 inputs with a given table set's numbers at any row count (evaluation's tiles), or null:
   * then the caller runs core/mlp.ts signLookupForward (TS). wasm exact: the sign tables in wasm; wasm fast: dense f32x4.
   */
  signHiddenForward: ((h: Float32Array, x: Float32Array, W1: Float32Array, b1: Float32Array, B: number, I: number, H: number) => void) | null;
  /** A gradient's L2 norm in fast mode (eight partial sums, differences near 1e-16 relative); null: core/metrics.ts l2Norm. */
  l2Norm: ((values: Float32Array) => number) | null;
  /** EGD's polar factor (core/linalg.ts); the wasm twin has its bits in both modes. */
  orthogonalize: typeof orthogonalize;
  /** core/metrics.ts evaluate's forward over one chunk of +-1 rows in one call, with its numbers; null: its tile loop. */
  forwardSigns: ForwardSigns | null;
};

/** out (B x O) = W2 relu(W1 x + b1) + b2 in tiles of EVALUATION.tile rows; useTables: the chunk takes the sign tables. */
export type ForwardSigns = (
  out: Float32Array,
  x: Float32Array,
  params: Record<'W1' | 'b1' | 'W2' | 'b2', Float32Array>,
  B: number,
  layout: { inputs: number; hidden: number; outputs: number },
  useTables: boolean,
) => void;

/** Evaluation's rows per chunk (the loss and Fourier sums are taken per chunk) and per forward tile (in cache for layer 2). */
export const EVALUATION = { chunk: 1024, tile: 64 };

export const tsKernels: Kernels = {
  name: 'ts',
  arena: null,
  signHiddenForward: null,
  forwardSigns: null,
  l2Norm: null,
  allocate: (length) => new Float32Array(length),
  linearForward,
  hiddenForward,
  linearBackward,
  linearBackwardThroughRelu,
  outputLayerBackward,
  reluForward,
  reluBackward,
  applyUpdate,
  oneHotHiddenForward,
  oneHotWeightGradient,
  orthogonalize,
};

/**
 * The wasm kernel set on one arena (its memory is never grown: growing would detach the views handed out).
 * Arguments that are not views on that memory are copied in and out, so any Float32Array works; views cost nothing.
 */
export function createWasmKernels(mode: BackendMode, arena: WasmArena): Kernels {
  const k: WasmExports = arena.exports;
  const exact = mode === 'exact';
  const forward = exact ? k.linearForwardExact : k.linearForwardFast;
  const inputGradient = exact ? k.inputGradientExact : k.inputGradientFast;
  const weightGradient = exact ? k.weightGradientExact : k.weightGradientFast;
  // The training loop's arrays are all views on the memory: those calls go straight to wasm (no closure, no array);
  // anything else takes arena.call, which copies. The buffer is stable because the memory never grows.
  const buffer = arena.memory.buffer;
  const on = (array: Float32Array) => array.buffer === buffer;

  const wasmLinearForward: typeof linearForward = (out, inp, weight, bias, B, I, O) => {
    if (on(out) && on(inp) && on(weight) && on(bias))
      return forward(out.byteOffset, inp.byteOffset, weight.byteOffset, bias.byteOffset, B, I, O, arena.scratch(I * O));
    arena.call([out], [inp, weight, bias], (p) => forward(p[0]!, p[1]!, p[2]!, p[3]!, B, I, O, arena.scratch(I * O)));
  };
  const wasmReluForward: typeof reluForward = (out, inp, N) => {
    if (on(out) && on(inp)) return k.reluForward(out.byteOffset, inp.byteOffset, N);
    arena.call([out], [inp], (p) => k.reluForward(p[0]!, p[1]!, N));
  };
  const wasmReluBackward: typeof reluBackward = (dinp, dout, out, N) => {
    if (on(dinp) && on(dout) && on(out)) return k.reluBackward(dinp.byteOffset, dout.byteOffset, out.byteOffset, N);
    arena.call([dinp], [dout, out], (p) => k.reluBackward(p[0]!, p[1]!, p[2]!, N));
  };
  const wasmInputGradient = (dinp: Float32Array, dout: Float32Array, weight: Float32Array, B: number, I: number, O: number) => {
    if (on(dinp) && on(dout) && on(weight)) return inputGradient(dinp.byteOffset, dout.byteOffset, weight.byteOffset, B, I, O);
    arena.call([dinp], [dout, weight], (p) => inputGradient(p[0]!, p[1]!, p[2]!, B, I, O));
  };
  const wasmWeightGradient = (dweight: Float32Array, dbias: Float32Array, dout: Float32Array, inp: Float32Array, B: number, I: number, O: number) => {
    if (on(dweight) && on(dbias) && on(dout) && on(inp)) return weightGradient(dweight.byteOffset, dbias.byteOffset, dout.byteOffset, inp.byteOffset, B, I, O);
    arena.call([dweight, dbias], [dout, inp], (p) => weightGradient(p[0]!, p[1]!, p[2]!, p[3]!, B, I, O));
  };

  const wasmBackwardThroughRelu: typeof linearBackwardThroughRelu = (dinp, dout, weight, active, B, I, O) => {
    if (O === 1) {
      if (on(dinp) && on(dout) && on(weight) && on(active))
        return k.backwardThroughReluSingle(dinp.byteOffset, dout.byteOffset, weight.byteOffset, active.byteOffset, B, I);
      return arena.call([dinp], [dout, weight, active], (p) => k.backwardThroughReluSingle(p[0]!, p[1]!, p[2]!, p[3]!, B, I));
    }
    wasmInputGradient(dinp, dout, weight, B, I, O);
    wasmReluBackward(dinp, dinp, active, B * I);
  };

  const wasmL2NormFast = (values: Float32Array) => {
    if (on(values)) return k.l2NormFast(values.byteOffset, values.length);
    let norm = 0;
    arena.call([], [values], (p) => (norm = k.l2NormFast(p[0]!, values.length)));
    return norm;
  };

  /** signHiddenForward's numbers; the tables live in the arena (scratch), the TS SignTables object is not used. */
  const wasmSignHiddenForward = (h: Float32Array, x: Float32Array, W1: Float32Array, b1: Float32Array, B: number, I: number, H: number) => {
    const groups = Math.ceil(I / SIGN_GROUP);
    const table = arena.scratch((groups * (1 << SIGN_GROUP) + 1) * H, 'sign-table');
    const acc = arena.scratch(2 * H, 'sign-acc');
    const offsets = arena.scratch(Math.ceil(groups / 4) * 4, 'sign-offsets');
    arena.call([h], [x, W1, b1], (p) => {
      k.buildSignTables(table, p[2]!, I, H, arena.scratch(I * H), acc);
      k.signLookupForward(p[0]!, p[1]!, p[3]!, B, I, H, table, offsets, acc);
    });
  };

  const forwardSigns: ForwardSigns = (out, x, p, B, { inputs: I, hidden: H, outputs: O }, useTables) => {
    const groups = Math.ceil(I / SIGN_GROUP);
    // The sign tables (exact) or the inputs' sign masks (fast, 16 bytes each).
    const table = exact ? arena.scratch((groups * (1 << SIGN_GROUP) + 1) * H, 'sign-table') : arena.scratch(EVALUATION.tile * I * 4, 'sign-masks');
    const offsets = arena.scratch(Math.ceil(groups / 4) * 4, 'sign-offsets');
    const scratch = [arena.scratch(EVALUATION.tile * H, 'evaluation-h'), arena.scratch(I * Math.max(H, O)), table, offsets, arena.scratch(2 * H, 'sign-acc')];
    const flags = (exact ? 1 : 0) | (useTables ? 2 : 0);
    arena.call([out], [x, p.W1, p.b1, p.W2, p.b2], (q) =>
      k.evaluateSigns(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!, B, I, H, O, EVALUATION.tile, flags, ...scratch),
    );
  };

  return {
    name: exact ? 'wasm-exact' : 'wasm-fast',
    forwardSigns,
    orthogonalize: createWasmOrthogonalize(arena),
    arena,
    l2Norm: exact ? null : wasmL2NormFast,
    signHiddenForward: exact
      ? wasmSignHiddenForward
      : (h, x, W1, b1, B, I, H) => {
          wasmLinearForward(h, x, W1, b1, B, I, H);
          wasmReluForward(h, h, B * H);
        },
    allocate: (length) => arena.allocate(length),
    linearForward: wasmLinearForward,
    reluForward: wasmReluForward,
    reluBackward: wasmReluBackward,
    hiddenForward(h, x, W1, b1, B, I, H, signTables: SignTables | null = null) {
      // The sign tables round differently from the dense sum: exact mode runs them (in wasm) for their bits.
      if (exact && signTables && B >= SIGN_TABLE_MIN_ROWS) return wasmSignHiddenForward(h, x, W1, b1, B, I, H);
      wasmLinearForward(h, x, W1, b1, B, I, H);
      wasmReluForward(h, h, B * H);
    },
    linearBackward(dinp, dweight, dbias, dout, inp, weight, B, I, O) {
      if (dinp) wasmInputGradient(dinp, dout, weight, B, I, O);
      if (dweight && dbias) wasmWeightGradient(dweight, dbias, dout, inp, B, I, O);
    },
    linearBackwardThroughRelu: wasmBackwardThroughRelu,
    /** outputLayerBackward's parts: the weight gradient, then dinp through the ReLU of inp. */
    outputLayerBackward(dinp, dweight, dbias, dout, inp, weight, B, I, O) {
      if (dweight && dbias) wasmWeightGradient(dweight, dbias, dout, inp, B, I, O);
      if (dinp) wasmBackwardThroughRelu(dinp, dout, weight, inp, B, I, O);
    },
    applyUpdate(param: Float32Array, grad: Float32Array, lr: number, wd: number, name: string, tracker: Tracker) {
      const binding = updateBindings[name as TensorName] ?? { param: name, grad: `d${name}` };
      trackReads(tracker, applyUpdateTraffic, binding, param.length);
      if (on(param) && on(grad)) k.applyUpdate(param.byteOffset, grad.byteOffset, param.length, lr, wd);
      else arena.call([param], [grad], (p) => k.applyUpdate(p[0]!, p[1]!, param.length, lr, wd));
      trackWrites(tracker, applyUpdateTraffic, binding, param.length);
    },
    oneHotHiddenForward(h, hot, hotPerRow, W1, b1, B, I, H) {
      arena.call([h], [W1, b1], (p) => k.oneHotHiddenForward(p[0]!, arena.int32(hot, B * hotPerRow), hotPerRow, p[1]!, p[2]!, B, I, H, 0));
    },
    oneHotWeightGradient(dW1, db1, dh, hot, hotPerRow, B, I, H) {
      arena.call([dW1, db1], [dh], (p) => k.oneHotWeightGradient(p[0]!, p[1]!, p[2]!, arena.int32(hot, B * hotPerRow), hotPerRow, B, I, H));
    },
  };
}

/** applyUpdate's tracker buffers per tensor, made once (not per call). */
const updateBindings: Partial<Record<TensorName, { param: string; grad: string }>> = Object.fromEntries(
  (['W1', 'b1', 'W2', 'b2'] as const).map((name) => [name, { param: name, grad: `d${name}` }]),
);

/**
 * orthogonalize on the arena: each TS workspace gets its twin in wasm memory on first use (zeroed, as the TS one starts)
 * and keeps it, since the eigensolver works in place on buffers that persist between calls, as in TS.
 */
function createWasmOrthogonalize(arena: WasmArena): typeof orthogonalize {
  const k = arena.exports;
  const workspaces = new Map<OrthogonalizeWorkspace, number>();
  return (grad, rows, cols, workspace) => {
    checkOrthogonalizeArguments(grad, rows, cols, workspace);
    let pointer = workspaces.get(workspace);
    if (pointer === undefined) {
      pointer = arena.scratch(k.orthogonalizeWorkspaceBytes(rows, cols) / 4, `egd-${workspaces.size}`);
      workspaces.set(workspace, pointer);
    }
    const at = pointer;
    let rank = 0;
    arena.call([grad], [], (p) => (rank = k.orthogonalizeExact(p[0]!, rows, cols, at)));
    if (rank < 0) throw new Error(`core/linalg.ts symmetricEigen: QL did not converge for eigenvalue ${-1 - rank} of ${Math.min(rows, cols)}`);
    return rank;
  };
}

export type KernelChoice = { backend: BackendName; mode: BackendMode };
export type SelectedKernels = { kernels: Kernels; notice: string | null };

export type SelectKernelsOptions = {
  /** Bytes of wasm memory for the run's buffers (fixed for the arena's life). */
  capacityBytes?: number;
  /** Whether the engine runs wasm SIMD; injectable so the fallback can be tested on an engine that has it. */
  simdAvailable?: () => boolean;
};

/** The kernel set for a run: TS, or wasm in the given mode; TS with a one-line notice where wasm SIMD is missing. */
export function selectKernels(choice: KernelChoice, options: SelectKernelsOptions = {}): SelectedKernels {
  if (choice.backend === 'ts') return { kernels: tsKernels, notice: null };
  const available = (options.simdAvailable ?? wasmSimdAvailable)();
  if (!available) {
    return { kernels: tsKernels, notice: `backend wasm (${choice.mode}) unavailable: this engine lacks WebAssembly SIMD; using the TypeScript kernels` };
  }
  return { kernels: createWasmKernels(choice.mode, new WasmArena(options.capacityBytes)), notice: null };
}

/** Bytes of core/wasm/assembly/egd.ts's workspace: f64 Gram/vectors, values, off-diagonal, scaled, inverse root, line, G. */
function orthogonalizeWorkspaceBytes(rows: number, cols: number): number {
  const m = Math.min(rows, cols);
  return 8 * (3 * m * m + 3 * m + rows * cols) + 32;
}

/** Wasm memory for one run's buffers: params, grads, batch buffers, the transposed-weight scratch, per-call copies. */
export function runCapacityBytes(layout: ParamLayout, batchSize: number): number {
  const { inputs: I, hidden: H, outputs: O } = layout;
  const floats = 2 * layout.size + batchSize * (I + 1 + 2 * H + 2 * O) + Math.max(I * H, H * O);
  // Evaluation's per-chunk copies of the rows and outputs, its hidden tile and its sign masks.
  const evaluationFloats = EVALUATION.chunk * (I + O) + EVALUATION.tile * (H + 4 * I);
  // EGD's Gram / eigen workspaces (f64), one per weight matrix.
  const egdBytes = (tensor: TensorView) => (tensor.rows > 1 && tensor.cols > 1 ? orthogonalizeWorkspaceBytes(tensor.rows, tensor.cols) + 16 : 0);
  // Per-call copies (gradient transforms that hand in their own arrays, one-hot indices) stay below another set.
  return 2 * 4 * floats + 4 * evaluationFloats + egdBytes(layout.W1) + egdBytes(layout.W2) + (1 << 20);
}
