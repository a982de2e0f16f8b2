// Kernels for +-1 inputs (the bit tasks), and evaluation's forward in one call. On x = +-1 a product
// w * x is w with its sign flipped where x < 0, exactly (also for 0, inf and NaN up to its sign), so these kernels
// xor the sign bit instead of multiplying and keep every output's sum in the order of the kernels they stand for.
import { buildSignTables, linearForwardExact, linearForwardFast, reluForward, signLookupForward, transpose } from './kernels';
import { lo, round2, store2 } from './lanes';

const SIGN_BIT: i32 = 0x80000000;

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
    // linearForwardFast takes its dot-product path here (another order).
    signHiddenNarrowFast(h, inp, w, bias, B, I, O);
    return;
  }
  if (!transposed) transpose(wt, w, I, O);
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

/**
 * The rows with a gradient (dout != 0) as byte offsets of their dh rows, bit 0 set where a row starts a block of
 * weightGradientExact (rows in fours, then one by one); returns how many.
 */
function keptRows(rows: usize, dout: usize, B: i32, hRow: i32): i32 {
  const quads = B & ~3;
  let count = 0;
  let block = -1;
  for (let b = 0; b < B; b++) {
    if (load<f32>(dout + (<usize>b << 2)) == 0) continue;
    const own = b < quads ? b >> 2 : (quads >> 2) + b - quads;
    store<i32>(rows + (<usize>count << 2), b * hRow + (own !== block ? 1 : 0));
    block = own;
    count++;
  }
  return count;
}

/** The kept rows' input signs splat to vectors, input-major ((i * count + j) * 16 bytes): f32 lanes, or f64 lanes (wide). */
function keptSigns(masks: usize, rows: usize, count: i32, inp: usize, I: i32, O: i32, wide: bool): void {
  const stride = <usize>count << 4;
  for (let j = 0; j < count; j++) {
    const x = inp + (<usize>(((load<i32>(rows + (<usize>j << 2)) >> 2) / O) * I) << 2);
    for (let i = 0; i < I; i++) {
      const bits = load<i32>(x + (<usize>i << 2)) & SIGN_BIT;
      v128.store(masks + <usize>i * stride + (<usize>j << 4), wide ? i64x2.splat(<i64>(<u32>bits) << 32) : i32x4.splat(bits));
    }
  }
}

/**
 * weightGradientFast for layer 1 on +-1 inputs (dW and db zero on entry, as the step leaves them): the same f32 sums
 * in row order, computed along the outputs into dwt (I x O) and transposed into dw. Rows whose dout is zero add only
 * zeros there (dW and db are never -0, and x is finite), so they are skipped, as are the all-zero blocks it skips.
 * rows: B i32 and masks: B x I x 16 bytes of scratch (the kept rows' dh offsets and input signs, input-major).
 */
export function signWeightGradientFast(dw: usize, db: usize, dh: usize, inp: usize, dout: usize, B: i32, I: i32, O: i32, dwt: usize, masks: usize, rows: usize): void {
  const hRow = O << 2;
  const count = keptRows(rows, dout, B, hRow);
  if (count === 1) {
    const at = load<i32>(rows) >> 2; // b * O for the one kept row b
    outerProduct(dw, db, dh + (<usize>at << 2), inp + (<usize>((at / O) * I) << 2), I, O, masks);
    return;
  }
  keptSigns(masks, rows, count, inp, I, O, false);
  const stride = <usize>count << 4;
  const O8 = O & ~7;
  const end = rows + (<usize>count << 2);
  for (let o = 0; o < O8; o += 8) {
    const at = dh + (<usize>o << 2);
    let i = 0;
    for (; i + 2 < I; i += 3) {
      let a00 = f32x4.splat(0);
      let a01 = a00;
      let a10 = a00;
      let a11 = a00;
      let a20 = a00;
      let a21 = a00;
      let m = masks + <usize>i * stride;
      for (let r = rows; r < end; r += 4) {
        const g = at + <usize>(load<i32>(r) & ~3);
        const g0 = v128.load(g);
        const g1 = v128.load(g + 16);
        let s = v128.load(m);
        a00 = f32x4.add(a00, v128.xor(g0, s));
        a01 = f32x4.add(a01, v128.xor(g1, s));
        s = v128.load(m + stride);
        a10 = f32x4.add(a10, v128.xor(g0, s));
        a11 = f32x4.add(a11, v128.xor(g1, s));
        s = v128.load(m + 2 * stride);
        a20 = f32x4.add(a20, v128.xor(g0, s));
        a21 = f32x4.add(a21, v128.xor(g1, s));
        m += 16;
      }
      const q = dwt + <usize>(i * hRow) + (<usize>o << 2);
      v128.store(q, a00);
      v128.store(q + 16, a01);
      v128.store(q + hRow, a10);
      v128.store(q + hRow + 16, a11);
      v128.store(q + 2 * hRow, a20);
      v128.store(q + 2 * hRow + 16, a21);
    }
    for (; i < I; i++) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let m = masks + <usize>i * stride;
      for (let r = rows; r < end; r += 4) {
        const g = at + <usize>(load<i32>(r) & ~3);
        const s = v128.load(m);
        a0 = f32x4.add(a0, v128.xor(v128.load(g), s));
        a1 = f32x4.add(a1, v128.xor(v128.load(g + 16), s));
        m += 16;
      }
      const q = dwt + <usize>(i * hRow) + (<usize>o << 2);
      v128.store(q, a0);
      v128.store(q + 16, a1);
    }
  }
  for (let o = O8; o < O; o++) {
    for (let i = 0; i < I; i++) {
      let a: f32 = 0;
      let m = masks + <usize>i * stride;
      for (let r = rows; r < end; r += 4) {
        const g = load<f32>(dh + <usize>(load<i32>(r) & ~3) + (<usize>o << 2));
        a += reinterpret<f32>(reinterpret<i32>(g) ^ load<i32>(m));
        m += 16;
      }
      store<f32>(dwt + <usize>(i * hRow) + (<usize>o << 2), a);
    }
  }
  transpose(dw, dwt, O, I);
  let o = 0;
  for (; o + 3 < O; o += 4) {
    let a = f32x4.splat(0);
    for (let r = rows; r < end; r += 4) a = f32x4.add(a, v128.load(dh + <usize>(load<i32>(r) & ~3) + (<usize>o << 2)));
    v128.store(db + (<usize>o << 2), a);
  }
  for (; o < O; o++) {
    let a: f32 = 0;
    for (let r = rows; r < end; r += 4) a += load<f32>(dh + <usize>(load<i32>(r) & ~3) + (<usize>o << 2));
    store<f32>(db + (<usize>o << 2), a);
  }
}

/** One kept row: dW[o, i] = +0 + g[o] x[i] (a -0 product becomes +0, as the sum from +0 makes it), db = +0 + g. */
function outerProduct(dw: usize, db: usize, g: usize, x: usize, I: i32, O: i32, masks: usize): void {
  const zero = f32x4.splat(0);
  const I4 = I & ~3;
  for (let i = 0; i < I4; i += 4) v128.store(masks + (<usize>i << 2), v128.and(v128.load(x + (<usize>i << 2)), i32x4.splat(SIGN_BIT)));
  for (let o = 0; o < O; o++) {
    const v = load<f32>(g + (<usize>o << 2));
    const row = dw + (<usize>(o * I) << 2);
    store<f32>(db + (<usize>o << 2), <f32>0 + v);
    if (v == 0) {
      // A unit without gradient: its row is +0 (the sum from +0 of +-0 terms).
      memory.fill(row, 0, <usize>I << 2);
      continue;
    }
    const gv = f32x4.splat(v);
    let i = 0;
    for (; i < I4; i += 4) v128.store(row + (<usize>i << 2), f32x4.add(zero, v128.xor(gv, v128.load(masks + (<usize>i << 2)))));
    for (; i < I; i++) store<f32>(row + (<usize>i << 2), <f32>0 + v * load<f32>(x + (<usize>i << 2)));
  }
}

/**
 * linearForwardFast's dot-product path (B < 4: each output's four lane sums over i, added lane 0 to 3, then the scalar
 * tail, then the bias) on +-1 inputs, then reluForward: four outputs at a time (independent sums in flight).
 */
export function signHiddenNarrowFast(h: usize, inp: usize, w: usize, bias: usize, B: i32, I: i32, O: i32): void {
  const I4 = I & ~3;
  const rowBytes = <usize>I << 2;
  for (let b = 0; b < B; b++) {
    const x = inp + <usize>b * rowBytes;
    const y = h + (<usize>(b * O) << 2);
    let o = 0;
    for (; o + 3 < O; o += 4) {
      const w0 = w + <usize>o * rowBytes;
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      for (let i = 0; i < I4; i += 4) {
        const k = <usize>i << 2;
        const s = v128.and(v128.load(x + k), i32x4.splat(SIGN_BIT));
        a0 = f32x4.add(a0, v128.xor(v128.load(w0 + k), s));
        a1 = f32x4.add(a1, v128.xor(v128.load(w0 + rowBytes + k), s));
        a2 = f32x4.add(a2, v128.xor(v128.load(w0 + 2 * rowBytes + k), s));
        a3 = f32x4.add(a3, v128.xor(v128.load(w0 + 3 * rowBytes + k), s));
      }
      if (I4 === I) {
        // Lane j of column c_j holds lane j of each output's sum: ((c0 + c1) + c2) + c3 adds each output's lanes 0 to 3.
        const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
        const t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
        let sum = f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
        sum = f32x4.add(f32x4.add(sum, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5)), v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
        v128.store(y + (<usize>o << 2), relu4(f32x4.add(sum, v128.load(bias + (<usize>o << 2)))));
        continue;
      }
      narrowFinish(y, x, w0, bias, o, I4, I, a0);
      narrowFinish(y, x, w0 + rowBytes, bias, o + 1, I4, I, a1);
      narrowFinish(y, x, w0 + 2 * rowBytes, bias, o + 2, I4, I, a2);
      narrowFinish(y, x, w0 + 3 * rowBytes, bias, o + 3, I4, I, a3);
    }
    for (; o < O; o++) {
      const wr = w + <usize>o * rowBytes;
      let a = f32x4.splat(0);
      for (let i = 0; i < I4; i += 4) a = f32x4.add(a, f32x4.mul(v128.load(wr + (<usize>i << 2)), v128.load(x + (<usize>i << 2))));
      narrowFinish(y, x, wr, bias, o, I4, I, a);
    }
  }
}

@inline function narrowFinish(y: usize, x: usize, wr: usize, bias: usize, o: i32, I4: i32, I: i32, acc: v128): void {
  let a = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (let i = I4; i < I; i++) a += load<f32>(wr + (<usize>i << 2)) * load<f32>(x + (<usize>i << 2));
  const v = <f64>(a + load<f32>(bias + (<usize>o << 2)));
  store<f32>(y + (<usize>o << 2), <f32>((v + Math.abs(v)) * 0.5));
}

/**
 * weightGradientExact for layer 1 on +-1 inputs (dW and db zero on entry): each entry is rounded to f32 after each block
 * of four rows (then after each of the last B mod 4 rows) and summed in f64 in row order within a block, as there;
 * along the outputs in f64x2 into dwt (I x O), then transposed into dw. Rows whose dout is zero are skipped (their
 * terms are zeros, which change no sum there). rows: B i32, masks: B x I x 16 bytes of scratch.
 */
export function signWeightGradientExact(dw: usize, db: usize, dh: usize, inp: usize, dout: usize, B: i32, I: i32, O: i32, dwt: usize, masks: usize, rows: usize): void {
  const hRow = O << 2;
  const count = keptRows(rows, dout, B, hRow);
  keptSigns(masks, rows, count, inp, I, O, true);
  const stride = <usize>count << 4;
  const O4 = O & ~3;
  const end = rows + (<usize>count << 2);
  for (let o = 0; o < O4; o += 4) {
    const at = dh + (<usize>o << 2);
    let i = 0;
    for (; i + 2 < I; i += 3) {
      let a00 = f64x2.splat(0);
      let a01 = a00;
      let a10 = a00;
      let a11 = a00;
      let a20 = a00;
      let a21 = a00;
      let m = masks + <usize>i * stride;
      for (let r = rows; r < end; r += 4) {
        const v = load<i32>(r);
        if (v & 1) {
          a00 = round2(a00);
          a01 = round2(a01);
          a10 = round2(a10);
          a11 = round2(a11);
          a20 = round2(a20);
          a21 = round2(a21);
        }
        const g = at + <usize>(v & ~3);
        const g0 = lo(g);
        const g1 = lo(g + 8);
        let s = v128.load(m);
        a00 = f64x2.add(a00, v128.xor(g0, s));
        a01 = f64x2.add(a01, v128.xor(g1, s));
        s = v128.load(m + stride);
        a10 = f64x2.add(a10, v128.xor(g0, s));
        a11 = f64x2.add(a11, v128.xor(g1, s));
        s = v128.load(m + 2 * stride);
        a20 = f64x2.add(a20, v128.xor(g0, s));
        a21 = f64x2.add(a21, v128.xor(g1, s));
        m += 16;
      }
      const q = dwt + <usize>(i * hRow) + (<usize>o << 2);
      store2(q, a00);
      store2(q + 8, a01);
      store2(q + hRow, a10);
      store2(q + hRow + 8, a11);
      store2(q + 2 * hRow, a20);
      store2(q + 2 * hRow + 8, a21);
    }
    for (; i < I; i++) {
      let a0 = f64x2.splat(0);
      let a1 = a0;
      let m = masks + <usize>i * stride;
      for (let r = rows; r < end; r += 4) {
        const v = load<i32>(r);
        if (v & 1) {
          a0 = round2(a0);
          a1 = round2(a1);
        }
        const g = at + <usize>(v & ~3);
        const s = v128.load(m);
        a0 = f64x2.add(a0, v128.xor(lo(g), s));
        a1 = f64x2.add(a1, v128.xor(lo(g + 8), s));
        m += 16;
      }
      const q = dwt + <usize>(i * hRow) + (<usize>o << 2);
      store2(q, a0);
      store2(q + 8, a1);
    }
  }
  for (let o = O4; o < O; o++) {
    for (let i = 0; i < I; i++) {
      let a: f64 = 0;
      let m = masks + <usize>i * stride;
      for (let r = rows; r < end; r += 4) {
        const v = load<i32>(r);
        if (v & 1) a = <f64>(<f32>a);
        a += reinterpret<f64>(reinterpret<i64>(<f64>load<f32>(dh + <usize>(v & ~3) + (<usize>o << 2))) ^ load<i64>(m));
        m += 16;
      }
      store<f32>(dwt + <usize>(i * hRow) + (<usize>o << 2), <f32>a);
    }
  }
  transpose(dw, dwt, O, I);
  for (let o = 0; o < O; o++) {
    let a: f64 = 0;
    for (let r = rows; r < end; r += 4) {
      const v = load<i32>(r);
      if (v & 1) a = <f64>(<f32>a);
      a += <f64>load<f32>(dh + <usize>(v & ~3) + (<usize>o << 2));
    }
    store<f32>(db + (<usize>o << 2), <f32>a);
  }
}
