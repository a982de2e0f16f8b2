// Layer-1 kernels for one-hot inputs (the modular tasks: x = [onehot(a), onehot(b)], 2p inputs, two of them 1):
// X W1^T is a gather of W1's hot columns and dW1 += dh^T X a scatter into them. Dimensions as in mlp.ts: B rows,
// I inputs, H hidden units; `hot` holds each row's hot input indices, hotPerRow per row, ascending.
// Same numbers as the dense kernels (hiddenForward, linearBackward) for finite weights and gradients: the dense sums
// differ only by the signed zeros of 0 * w, which change nothing once any other term or the ReLU has been applied.

/**
 * Fills hot (B x hotPerRow) with the indices of the 1s of each row of x; false when some row is not exactly
 * hotPerRow ones among zeros (then use the dense kernels).
 */
export function oneHotIndices(hot: Int32Array, x: Float32Array, B: number, I: number, hotPerRow: number): boolean {
  for (let b = 0; b < B; b++) {
    let count = 0;
    for (let i = 0; i < I; i++) {
      const v = x[b * I + i]!;
      if (v === 0) continue;
      if (v !== 1 || count === hotPerRow) return false;
      hot[b * hotPerRow + count++] = i;
    }
    if (count !== hotPerRow) return false;
  }
  return true;
}

/** h[b,o] = relu(b1[o] + sum over row b's hot inputs i, ascending, of W1[o,i]), summed in f64 and rounded once. */
export function oneHotHiddenForward(
  h: Float32Array,
  hot: Int32Array,
  hotPerRow: number,
  W1: Float32Array,
  b1: Float32Array,
  B: number,
  I: number,
  H: number,
): void {
  for (let b = 0; b < B; b++) {
    const first = b * hotPerRow;
    for (let o = 0; o < H; o++) {
      let sum = b1[o]!;
      for (let j = 0; j < hotPerRow; j++) sum += W1[o * I + hot[first + j]!]!;
      h[b * H + o] = (sum + Math.abs(sum)) * 0.5;
    }
  }
}

/**
 * dW1 += dh^T X and db1 += sum_b dh for one-hot X, rounded where the dense weightGradient rounds: after each block of
 * four rows (rows below 4 * floor(B / 4)), then after each remaining row; within a block each entry sums in row order.
 */
export function oneHotWeightGradient(
  dW1: Float32Array,
  db1: Float32Array,
  dh: Float32Array,
  hot: Int32Array,
  hotPerRow: number,
  B: number,
  I: number,
  H: number,
): void {
  oneHotBiasGradient(db1, dh, B, H);
  const quads = B - (B % 4);
  for (let start = 0; start < B; start += start < quads ? 4 : 1) {
    const end = start < quads ? start + 4 : start + 1;
    for (let r = start; r < end; r++) {
      for (let j = 0; j < hotPerRow; j++) {
        const i = hot[r * hotPerRow + j]!;
        if (firstUse(hot, hotPerRow, start, r, j, i)) scatterColumn(dW1, dh, hot, hotPerRow, i, r, end, I, H);
      }
    }
  }
}

/** Whether (row r, slot j) is the first occurrence of index i among the block's rows start..r. */
function firstUse(hot: Int32Array, hotPerRow: number, start: number, r: number, j: number, i: number): boolean {
  for (let q = start; q <= r; q++) {
    const slots = q === r ? j : hotPerRow;
    for (let s = 0; s < slots; s++) if (hot[q * hotPerRow + s] === i) return false;
  }
  return true;
}

/** Column i of dW1: adds dh[q, o] for each block row q >= from that has i hot, in row order; rounds once. */
function scatterColumn(
  dW1: Float32Array,
  dh: Float32Array,
  hot: Int32Array,
  hotPerRow: number,
  i: number,
  from: number,
  end: number,
  I: number,
  H: number,
): void {
  for (let o = 0; o < H; o++) {
    let sum = dW1[o * I + i]!;
    for (let q = from; q < end; q++) {
      for (let s = 0; s < hotPerRow; s++) if (hot[q * hotPerRow + s] === i) sum += dh[q * H + o]!;
    }
    dW1[o * I + i] = sum;
  }
}

/** db1 += sum_b dh, in the dense weightGradient's order and rounding (8-row, then 4-row blocks, then rows). */
export function oneHotBiasGradient(db1: Float32Array, dh: Float32Array, B: number, H: number): void {
  const fround = Math.fround;
  let b = 0;
  for (; b + 7 < B; b += 8) {
    const row = b * H;
    for (let o = 0; o < H; o++) {
      const firstFour = fround(db1[o]! + dh[row + o]! + dh[row + H + o]! + dh[row + 2 * H + o]! + dh[row + 3 * H + o]!);
      db1[o] = firstFour + dh[row + 4 * H + o]! + dh[row + 5 * H + o]! + dh[row + 6 * H + o]! + dh[row + 7 * H + o]!;
    }
  }
  for (; b + 3 < B; b += 4) {
    for (let o = 0; o < H; o++) db1[o] = db1[o]! + dh[b * H + o]! + dh[(b + 1) * H + o]! + dh[(b + 2) * H + o]! + dh[(b + 3) * H + o]!;
  }
  for (; b < B; b++) for (let o = 0; o < H; o++) db1[o] = db1[o]! + dh[b * H + o]!;
}
