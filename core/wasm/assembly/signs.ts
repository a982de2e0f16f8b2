// Kernels for +-1 inputs (the bit tasks) in fast mode, and evaluation's forward in one call. On x = +-1 a product
// w * x is w with its sign flipped where x < 0, exactly (also for 0, inf and NaN up to its sign), so these kernels
// xor the sign bit instead of multiplying and keep every output's sum in the order of the kernels they stand for.
import { buildSignTables, linearForwardExact, linearForwardFast, reluForward, signLookupForward } from './kernels';

const SIGN_BIT: i32 = 0x80000000;

/** W^T (I x O) from W (O x I); 4 x 4 blocks through shuffles where I and O allow it. */
export function transposeFast(out: usize, w: usize, I: i32, O: i32): void {
  if ((I & 3) !== 0 || (O & 3) !== 0) {
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) store<f32>(out + (<usize>(i * O + o) << 2), load<f32>(w + (<usize>(o * I + i) << 2)));
    return;
  }
  const inRow = <usize>I << 2;
  const outRow = <usize>O << 2;
  for (let o = 0; o < O; o += 4) {
    for (let i = 0; i < I; i += 4) {
      const p = w + <usize>o * inRow + (<usize>i << 2);
      const r0 = v128.load(p);
      const r1 = v128.load(p + inRow);
      const r2 = v128.load(p + 2 * inRow);
      const r3 = v128.load(p + 3 * inRow);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const q = out + <usize>i * outRow + (<usize>o << 2);
      v128.store(q, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(q + outRow, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(q + 2 * outRow, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(q + 3 * outRow, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    }
  }
}

/**
 * The sign bit of every input, splat to a vector (w xor it = w * x on +-1): rows in threes, a three's vectors
 * interleaved by input ((i * 3 + r) * 16 bytes from the three's start), then the last rows one by one.
 */
function signMasks(masks: usize, inp: usize, B: i32, I: i32): void {
  const triples = B - (B % 3);
  for (let b = 0; b < B; b++) {
    const base = masks + (<usize>(b < triples ? (b - (b % 3)) * I : b * I) << 4);
    const lane = b < triples ? b % 3 : 0;
    const stride: usize = b < triples ? 48 : 16;
    const x = inp + (<usize>(b * I) << 2);
    for (let i = 0; i < I; i++) {
      v128.store(base + <usize>i * stride + (<usize>lane << 4), v128.and(v128.load32_splat(x + (<usize>i << 2)), i32x4.splat(SIGN_BIT)));
    }
  }
}

/** reluForward's numbers in f32 lanes: max(v, +0), and NaN for -inf (its (v + |v|) / 2 is -inf + inf there). */
@inline function relu4(v: v128): v128 {
  return v128.bitselect(f32x4.splat(NaN), f32x4.max(v, f32x4.splat(0)), f32x4.eq(v, f32x4.splat(-Infinity)));
}

/**
 * h = relu(W x + b) on +-1 inputs with linearForwardFast's and reluForward's numbers (each output summed in f32 from
 * its bias in order of i), from W^T (wt, filled here unless transposed): three rows by eight outputs per pass.
 * masks: B x I x 16 bytes of scratch.
 */
export function signHiddenFast(h: usize, inp: usize, w: usize, bias: usize, B: i32, I: i32, O: i32, wt: usize, masks: usize, transposed: bool): void {
  if (O < 4 || B < 4) {
    // linearForwardFast takes its dot-product path here (another order): run it.
    linearForwardFast(h, inp, w, bias, B, I, O, wt);
    reluForward(h, h, B * O);
    return;
  }
  if (!transposed) transposeFast(wt, w, I, O);
  signMasks(masks, inp, B, I);
  const O8 = O & ~7;
  const step = <usize>O << 2;
  const maskRows = <usize>I << 4;
  let b = 0;
  for (; b + 2 < B; b += 3) {
    const m0 = masks + <usize>b * maskRows;
    const y0 = h + <usize>b * step;
    for (let o = 0; o < O8; o += 8) {
      const k = <usize>o << 2;
      let a00 = v128.load(bias + k);
      let a01 = v128.load(bias + k + 16);
      let a10 = a00;
      let a11 = a01;
      let a20 = a00;
      let a21 = a01;
      let wp = wt + k;
      let m = m0;
      const end = m0 + 3 * maskRows;
      for (; m < end; m += 48) {
        const w0 = v128.load(wp);
        const w1 = v128.load(wp + 16);
        let s = v128.load(m);
        a00 = f32x4.add(a00, v128.xor(w0, s));
        a01 = f32x4.add(a01, v128.xor(w1, s));
        s = v128.load(m + 16);
        a10 = f32x4.add(a10, v128.xor(w0, s));
        a11 = f32x4.add(a11, v128.xor(w1, s));
        s = v128.load(m + 32);
        a20 = f32x4.add(a20, v128.xor(w0, s));
        a21 = f32x4.add(a21, v128.xor(w1, s));
        wp += step;
      }
      v128.store(y0 + k, relu4(a00));
      v128.store(y0 + k + 16, relu4(a01));
      v128.store(y0 + step + k, relu4(a10));
      v128.store(y0 + step + k + 16, relu4(a11));
      v128.store(y0 + 2 * step + k, relu4(a20));
      v128.store(y0 + 2 * step + k + 16, relu4(a21));
    }
  }
  for (; b < B; b++) {
    const m0 = masks + <usize>b * maskRows;
    const y = h + <usize>b * step;
    for (let o = 0; o < O8; o += 8) {
      const k = <usize>o << 2;
      let a0 = v128.load(bias + k);
      let a1 = v128.load(bias + k + 16);
      let wp = wt + k;
      const end = m0 + maskRows;
      for (let m = m0; m < end; m += 16) {
        const s = v128.load(m);
        a0 = f32x4.add(a0, v128.xor(v128.load(wp), s));
        a1 = f32x4.add(a1, v128.xor(v128.load(wp + 16), s));
        wp += step;
      }
      v128.store(y + k, relu4(a0));
      v128.store(y + k + 16, relu4(a1));
    }
  }
  // Outputs past the last eight: linearForwardFast's scalar sums (w * x), then the ReLU as reluForward computes it.
  const rowBytes = <usize>I << 2;
  for (let o = O8; o < O; o++) {
    const bo = load<f32>(bias + (<usize>o << 2));
    for (b = 0; b < B; b++) {
      const x = inp + <usize>b * rowBytes;
      let a = bo;
      for (let i = 0; i < I; i++) a += load<f32>(wt + (<usize>(i * O + o) << 2)) * load<f32>(x + (<usize>i << 2));
      const v = <f64>a;
      store<f32>(h + <usize>b * step + (<usize>o << 2), <f32>((v + Math.abs(v)) * 0.5));
    }
  }
}

const EXACT: i32 = 1;
const TABLES: i32 = 2;

/**
 * core/metrics.ts evaluate's forward over one chunk of B rows of +-1 inputs, in tiles of `tile` rows as there (the
 * kernels' choices depend on a tile's row count): out (B x O) = W2 relu(W1 x + b1) + b2. flags: EXACT, TABLES (the
 * chunk takes the sign tables in exact mode). h: tile x H scratch; wt (I x max(H, O)), acc (2 H), offsets: the kernels'
 * scratch; table: the sign tables (exact) or the sign masks (fast, tile x I x 16 bytes).
 */
export function evaluateSigns(out: usize, x: usize, w1: usize, b1: usize, w2: usize, b2: usize, B: i32, I: i32, H: i32, O: i32, tile: i32, flags: i32, h: usize, wt: usize, table: usize, offsets: usize, acc: usize): void {
  const exact = (flags & EXACT) !== 0;
  const tables = exact && (flags & TABLES) !== 0;
  if (tables) buildSignTables(table, w1, I, H, wt, acc);
  for (let start = 0; start < B; start += tile) {
    const rows = min(tile, B - start);
    const xt = x + (<usize>(start * I) << 2);
    if (tables) signLookupForward(h, xt, b1, rows, I, H, table, offsets, acc);
    else if (exact) {
      linearForwardExact(h, xt, w1, b1, rows, I, H, wt);
      reluForward(h, h, rows * H);
    } else signHiddenFast(h, xt, w1, b1, rows, I, H, wt, table, start > 0 && O < 4);
    const y = out + (<usize>(start * O) << 2);
    if (exact) linearForwardExact(y, h, w2, b2, rows, H, O, wt);
    else linearForwardFast(y, h, w2, b2, rows, H, O, wt);
  }
}
