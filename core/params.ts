// Parameters in one contiguous Float32Array split into named views (llm.c style), which makes
// memory accounting and "all four tensors" updates trivial. Matrices are row-major (out x in).

export type TensorName = 'W1' | 'b1' | 'W2' | 'b2';

export type TensorView = {
  name: TensorName;
  /** Matrix rows (outputs); 1 for the output bias of a single-output model. */
  rows: number;
  /** Matrix columns (inputs); 1 for bias vectors. */
  cols: number;
  offset: number;
  size: number;
  /** A bias: EGD treats it as a vector (or scalar), not a matrix. */
  isBias: boolean;
};

export type ParamLayout = {
  inputs: number;
  hidden: number;
  outputs: number;
  size: number;
  W1: TensorView;
  b1: TensorView;
  W2: TensorView;
  b2: TensorView;
  tensors: TensorView[];
};

/** Layout of a 2-layer MLP: W1 (hidden x inputs), b1 (hidden), W2 (outputs x hidden), b2 (outputs). */
export function mlpLayout(inputs: number, hidden: number, outputs: number): ParamLayout {
  let offset = 0;
  const view = (name: TensorName, rows: number, cols: number, isBias: boolean): TensorView => {
    const tensor = { name, rows, cols, offset, size: rows * cols, isBias };
    offset += rows * cols;
    return tensor;
  };
  const W1 = view('W1', hidden, inputs, false);
  const b1 = view('b1', hidden, 1, true);
  const W2 = view('W2', outputs, hidden, false);
  const b2 = view('b2', outputs, 1, true);
  return { inputs, hidden, outputs, size: offset, W1, b1, W2, b2, tensors: [W1, b1, W2, b2] };
}

/** The Float32Array view of one tensor inside a flat buffer (params, grads or optimizer state). */
export function tensorOf(buffer: Float32Array, tensor: TensorView): Float32Array {
  return buffer.subarray(tensor.offset, tensor.offset + tensor.size);
}
