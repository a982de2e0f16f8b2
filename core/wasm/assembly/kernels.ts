// AssemblyScript source of the WebAssembly SIMD kernels (built by `npm run build:wasm` into core/wasm/kernel-bytes.ts).
// Every pointer is a byte offset into the one imported memory; dimensions are named as in core/mlp.ts (B rows, I inputs,
// O outputs). `exact` kernels repeat the TS kernels' float order in f64 (f64x2 lanes, rounded once per store, as JS
// does); `fast` kernels add in f32x4 lanes and may reassociate. No relaxed-SIMD instructions.

import { lo, round2, store2 } from './lanes';

/** First free byte after this module's static data: the JS side allocates its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

@inline function f(p: usize): f64 {
  return <f64>load<f32>(p);
}

/** W^T (I x O) from W (O x I), so the output-major loops load four outputs' weights at once; 4 x 4 blocks through shuffles where I and O allow it. */
export function transpose(out: usize, w: usize, I: i32, O: i32): void {
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
 * out[b,o] = bias[o] + sum_i W[o,i] inp[b,i], each output summed in f64 in order of i and rounded once (the TS kernel's
 * numbers). O >= 4: four outputs per f64x2 pair from W^T (wt, filled here); O < 4: scalar, four rows interleaved.
 */
export function linearForwardExact(out: usize, inp: usize, w: usize, bias: usize, B: i32, I: i32, O: i32, wt: usize): void {
  if (O < 4) {
    narrowForward(out, inp, w, bias, B, I, O);
    return;
  }
  transpose(wt, w, I, O);
  const O4 = O & ~3;
  const step = <usize>O << 2;
  let b = 0;
  // Two rows per pass share each weight load and promote.
  for (; b + 1 < B; b += 2) {
    const x0 = inp + (<usize>(b * I) << 2);
    const x1 = x0 + (<usize>I << 2);
    const y0 = out + (<usize>(b * O) << 2);
    const y1 = y0 + step;
    for (let o = 0; o < O4; o += 4) {
      const k = <usize>o << 2;
      let a00 = lo(bias + k);
      let a01 = lo(bias + k + 8);
      let a10 = a00;
      let a11 = a01;
      let wp = wt + k;
      for (let i = 0; i < I; i++) {
        const w0 = lo(wp);
        const w1 = lo(wp + 8);
        const v0 = f64x2.splat(f(x0 + (<usize>i << 2)));
        const v1 = f64x2.splat(f(x1 + (<usize>i << 2)));
        a00 = f64x2.add(a00, f64x2.mul(v0, w0));
        a01 = f64x2.add(a01, f64x2.mul(v0, w1));
        a10 = f64x2.add(a10, f64x2.mul(v1, w0));
        a11 = f64x2.add(a11, f64x2.mul(v1, w1));
        wp += step;
      }
      store2(y0 + k, a00);
      store2(y0 + k + 8, a01);
      store2(y1 + k, a10);
      store2(y1 + k + 8, a11);
    }
    for (let o = O4; o < O; o++) {
      let a0 = f(bias + (<usize>o << 2));
      let a1 = a0;
      for (let i = 0; i < I; i++) {
        const wv = f(wt + (<usize>(i * O + o) << 2));
        a0 += wv * f(x0 + (<usize>i << 2));
        a1 += wv * f(x1 + (<usize>i << 2));
      }
      store<f32>(y0 + (<usize>o << 2), <f32>a0);
      store<f32>(y1 + (<usize>o << 2), <f32>a1);
    }
  }
  for (; b < B; b++) {
    const x = inp + (<usize>(b * I) << 2);
    const y = out + (<usize>(b * O) << 2);
    for (let o = 0; o < O4; o += 4) {
      let a0 = lo(bias + (<usize>o << 2));
      let a1 = lo(bias + (<usize>o << 2) + 8);
      let wp = wt + (<usize>o << 2);
      for (let i = 0; i < I; i++) {
        const xv = f64x2.splat(f(x + (<usize>i << 2)));
        a0 = f64x2.add(a0, f64x2.mul(xv, lo(wp)));
        a1 = f64x2.add(a1, f64x2.mul(xv, lo(wp + 8)));
        wp += step;
      }
      store2(y + (<usize>o << 2), a0);
      store2(y + (<usize>o << 2) + 8, a1);
    }
    for (let o = O4; o < O; o++) {
      let a = f(bias + (<usize>o << 2));
      for (let i = 0; i < I; i++) a += f(wt + (<usize>(i * O + o) << 2)) * f(x + (<usize>i << 2));
      store<f32>(y + (<usize>o << 2), <f32>a);
    }
  }
}

function narrowForward(out: usize, inp: usize, w: usize, bias: usize, B: i32, I: i32, O: i32): void {
  let b = 0;
  for (; b + 3 < B; b += 4) {
    const x0 = inp + (<usize>(b * I) << 2);
    const x1 = x0 + (<usize>I << 2);
    const x2 = x1 + (<usize>I << 2);
    const x3 = x2 + (<usize>I << 2);
    for (let o = 0; o < O; o++) {
      const wr = w + (<usize>(o * I) << 2);
      const bo = f(bias + (<usize>o << 2));
      let a0 = bo;
      let a1 = bo;
      let a2 = bo;
      let a3 = bo;
      for (let i = 0; i < I; i++) {
        const k = <usize>i << 2;
        const wv = f(wr + k);
        a0 += wv * f(x0 + k);
        a1 += wv * f(x1 + k);
        a2 += wv * f(x2 + k);
        a3 += wv * f(x3 + k);
      }
      store<f32>(out + (<usize>(b * O + o) << 2), <f32>a0);
      store<f32>(out + (<usize>((b + 1) * O + o) << 2), <f32>a1);
      store<f32>(out + (<usize>((b + 2) * O + o) << 2), <f32>a2);
      store<f32>(out + (<usize>((b + 3) * O + o) << 2), <f32>a3);
    }
  }
  for (; b < B; b++) {
    const x = inp + (<usize>(b * I) << 2);
    for (let o = 0; o < O; o++) {
      const wr = w + (<usize>(o * I) << 2);
      let a = f(bias + (<usize>o << 2));
      for (let i = 0; i < I; i++) a += f(wr + (<usize>i << 2)) * f(x + (<usize>i << 2));
      store<f32>(out + (<usize>(b * O + o) << 2), <f32>a);
    }
  }
}

/** Lane 0 + lane 1 + lane 2 + lane 3 of an f32x4 sum, in that order. */
@inline function laneSum(acc: v128): f32 {
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

/** f32x4 forward: O >= 4 along the outputs from W^T (wt), O < 4 or B < 4 (no transpose) as dot products along the inputs. */
export function linearForwardFast(out: usize, inp: usize, w: usize, bias: usize, B: i32, I: i32, O: i32, wt: usize): void {
  if (O < 4 || B < 4) {
    const I4 = I & ~3;
    let b = 0;
    // Four rows per pass: four independent sums in flight, each row's in its own order.
    for (; b + 3 < B && I4 === I; b += 4) {
      const x0 = inp + (<usize>(b * I) << 2);
      const rowBytes = <usize>I << 2;
      for (let o = 0; o < O; o++) {
        const wr = w + (<usize>(o * I) << 2);
        let a0 = f32x4.splat(0);
        let a1 = a0;
        let a2 = a0;
        let a3 = a0;
        for (let i = 0; i < I4; i += 4) {
          const k = <usize>i << 2;
          const wv = v128.load(wr + k);
          a0 = f32x4.add(a0, f32x4.mul(wv, v128.load(x0 + k)));
          a1 = f32x4.add(a1, f32x4.mul(wv, v128.load(x0 + rowBytes + k)));
          a2 = f32x4.add(a2, f32x4.mul(wv, v128.load(x0 + 2 * rowBytes + k)));
          a3 = f32x4.add(a3, f32x4.mul(wv, v128.load(x0 + 3 * rowBytes + k)));
        }
        const bo = load<f32>(bias + (<usize>o << 2));
        store<f32>(out + (<usize>(b * O + o) << 2), laneSum(a0) + bo);
        store<f32>(out + (<usize>((b + 1) * O + o) << 2), laneSum(a1) + bo);
        store<f32>(out + (<usize>((b + 2) * O + o) << 2), laneSum(a2) + bo);
        store<f32>(out + (<usize>((b + 3) * O + o) << 2), laneSum(a3) + bo);
      }
    }
    for (; b < B; b++) {
      const x = inp + (<usize>(b * I) << 2);
      for (let o = 0; o < O; o++) {
        const wr = w + (<usize>(o * I) << 2);
        let acc = f32x4.splat(0);
        for (let i = 0; i < I4; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(wr + (<usize>i << 2)), v128.load(x + (<usize>i << 2))));
        let a = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
        for (let i = I4; i < I; i++) a += load<f32>(wr + (<usize>i << 2)) * load<f32>(x + (<usize>i << 2));
        store<f32>(out + (<usize>(b * O + o) << 2), a + load<f32>(bias + (<usize>o << 2)));
      }
    }
    return;
  }
  transpose(wt, w, I, O);
  const O8 = O & ~7;
  const step = <usize>O << 2;
  let b = 0;
  for (; b + 1 < B; b += 2) {
    const x0 = inp + (<usize>(b * I) << 2);
    const x1 = x0 + (<usize>I << 2);
    const y0 = out + (<usize>(b * O) << 2);
    const y1 = y0 + step;
    for (let o = 0; o < O8; o += 8) {
      const k = <usize>o << 2;
      let a00 = v128.load(bias + k);
      let a01 = v128.load(bias + k + 16);
      let a10 = a00;
      let a11 = a01;
      let wp = wt + k;
      for (let i = 0; i < I; i++) {
        const w0 = v128.load(wp);
        const w1 = v128.load(wp + 16);
        const v0 = f32x4.splat(load<f32>(x0 + (<usize>i << 2)));
        const v1 = f32x4.splat(load<f32>(x1 + (<usize>i << 2)));
        a00 = f32x4.add(a00, f32x4.mul(v0, w0));
        a01 = f32x4.add(a01, f32x4.mul(v0, w1));
        a10 = f32x4.add(a10, f32x4.mul(v1, w0));
        a11 = f32x4.add(a11, f32x4.mul(v1, w1));
        wp += step;
      }
      v128.store(y0 + k, a00);
      v128.store(y0 + k + 16, a01);
      v128.store(y1 + k, a10);
      v128.store(y1 + k + 16, a11);
    }
    for (let o = O8; o < O; o++) {
      let a0 = load<f32>(bias + (<usize>o << 2));
      let a1 = a0;
      for (let i = 0; i < I; i++) {
        const wv = load<f32>(wt + (<usize>(i * O + o) << 2));
        a0 += wv * load<f32>(x0 + (<usize>i << 2));
        a1 += wv * load<f32>(x1 + (<usize>i << 2));
      }
      store<f32>(y0 + (<usize>o << 2), a0);
      store<f32>(y1 + (<usize>o << 2), a1);
    }
  }
  for (; b < B; b++) {
    const x = inp + (<usize>(b * I) << 2);
    const y = out + (<usize>(b * O) << 2);
    for (let o = 0; o < O8; o += 8) {
      let a0 = v128.load(bias + (<usize>o << 2));
      let a1 = v128.load(bias + (<usize>o << 2) + 16);
      let wp = wt + (<usize>o << 2);
      for (let i = 0; i < I; i++) {
        const xv = f32x4.splat(load<f32>(x + (<usize>i << 2)));
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(wp)));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(wp + 16)));
        wp += step;
      }
      v128.store(y + (<usize>o << 2), a0);
      v128.store(y + (<usize>o << 2) + 16, a1);
    }
    for (let o = O8; o < O; o++) {
      let a = load<f32>(bias + (<usize>o << 2));
      for (let i = 0; i < I; i++) a += load<f32>(wt + (<usize>(i * O + o) << 2)) * load<f32>(x + (<usize>i << 2));
      store<f32>(y + (<usize>o << 2), a);
    }
  }
}

/** out = (v + |v|) / 2 in f64, rounded once: max(v, 0) with NaN kept (the TS kernel's numbers). */
export function reluForward(out: usize, inp: usize, N: i32): void {
  const half = f64x2.splat(0.5);
  let i = 0;
  for (; i + 1 < N; i += 2) {
    const v = lo(inp + (<usize>i << 2));
    store2(out + (<usize>i << 2), f64x2.mul(f64x2.add(v, f64x2.abs(v)), half));
  }
  for (; i < N; i++) {
    const v = f(inp + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), <f32>((v + Math.abs(v)) * 0.5));
  }
}

/** dinp = dout * (out > 0) + 0; exact in f32 (a product with 0 or 1 and a + 0 never round). In place is fine. */
export function reluBackward(dinp: usize, dout: usize, out: usize, N: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 3 < N; i += 4) {
    const k = <usize>i << 2;
    const mask = v128.and(f32x4.gt(v128.load(out + k), zero), one);
    v128.store(dinp + k, f32x4.add(f32x4.mul(v128.load(dout + k), mask), zero));
  }
  for (; i < N; i++) {
    const k = <usize>i << 2;
    store<f32>(dinp + k, load<f32>(dout + k) * <f32>(load<f32>(out + k) > 0 ? 1 : 0) + 0);
  }
}

/** dinp[b,i] = round(dinp[b,i] + g W[o,i]) for each output o with g = dout[b,o] != 0, in order of o (inputGradient). */
export function inputGradientExact(dinp: usize, dout: usize, w: usize, B: i32, I: i32, O: i32): void {
  memory.fill(dinp, 0, <usize>(B * I) << 2);
  for (let b = 0; b < B; b++) {
    const row = dinp + (<usize>(b * I) << 2);
    for (let o = 0; o < O; o++) {
      const g = f(dout + (<usize>(b * O + o) << 2));
      if (g == 0) continue;
      const gv = f64x2.splat(g);
      const wr = w + (<usize>(o * I) << 2);
      let i = 0;
      for (; i + 1 < I; i += 2) {
        const k = <usize>i << 2;
        store2(row + k, f64x2.add(lo(row + k), f64x2.mul(gv, lo(wr + k))));
      }
      for (; i < I; i++) {
        const k = <usize>i << 2;
        store<f32>(row + k, <f32>(f(row + k) + g * f(wr + k)));
      }
    }
  }
}

/** f32x4 inputGradient (f32 products and sums). */
export function inputGradientFast(dinp: usize, dout: usize, w: usize, B: i32, I: i32, O: i32): void {
  memory.fill(dinp, 0, <usize>(B * I) << 2);
  for (let b = 0; b < B; b++) {
    const row = dinp + (<usize>(b * I) << 2);
    for (let o = 0; o < O; o++) {
      const g = load<f32>(dout + (<usize>(b * O + o) << 2));
      if (g == 0) continue;
      const gv = f32x4.splat(g);
      const wr = w + (<usize>(o * I) << 2);
      let i = 0;
      for (; i + 3 < I; i += 4) {
        const k = <usize>i << 2;
        v128.store(row + k, f32x4.add(v128.load(row + k), f32x4.mul(gv, v128.load(wr + k))));
      }
      for (; i < I; i++) {
        const k = <usize>i << 2;
        store<f32>(row + k, load<f32>(row + k) + g * load<f32>(wr + k));
      }
    }
  }
}

/**
 * linearBackwardThroughRelu for one output (O = 1): dinp[b,i] = g W[i] (active > 0) + 0 in f64, rounded once. In f32
 * lanes with the same numbers: g W is exact in f64, so its rounding is the f32 product, except that an exact zero
 * (W[i] = +-0, g finite) ends as +0 (a product rounded to -0 stays -0); where the mask is 0 the f64 sum is +0, or NaN
 * when g or W[i] is infinite or NaN, which is what g 0 + W[i] 0 + 0 gives in f32.
 */
export function backwardThroughReluSingle(dinp: usize, dout: usize, w: usize, active: usize, B: i32, I: i32): void {
  const zero = f32x4.splat(0);
  for (let b = 0; b < B; b++) {
    const g = f(dout + (<usize>b << 2));
    const base = <usize>(b * I) << 2;
    if (g == 0) {
      memory.fill(dinp + base, 0, <usize>I << 2);
      continue;
    }
    const gv = f32x4.splat(<f32>g);
    const g0 = f32x4.splat(<f32>g * 0);
    const finite = isFinite<f64>(g);
    let i = 0;
    for (; i + 3 < I; i += 4) {
      const k = <usize>i << 2;
      const wv = v128.load(w + k);
      let on = f32x4.mul(gv, wv);
      if (finite) on = v128.andnot(on, f32x4.eq(wv, zero));
      const off = f32x4.add(f32x4.add(g0, f32x4.mul(wv, zero)), zero);
      v128.store(dinp + base + k, v128.bitselect(on, off, f32x4.gt(v128.load(active + base + k), zero)));
    }
    for (; i < I; i++) {
      const k = <usize>i << 2;
      store<f32>(dinp + base + k, <f32>(g * f(w + k) * (f(active + base + k) > 0 ? 1.0 : 0.0) + 0));
    }
  }
}

/**
 * dweight += dout^T inp, dbias += sum_b dout (weightGradient): blocks of 8 rows rounded to f32 after the first four
 * rows, then blocks of 4, then single rows, each entry summed in f64 in row order; all-zero gradient blocks skipped.
 */
export function weightGradientExact(dw: usize, db: usize, dout: usize, inp: usize, B: i32, I: i32, O: i32): void {
  let b = 0;
  for (; b + 7 < B; b += 8) {
    for (let o = 0; o < O; o++) {
      const g0 = f(dout + (<usize>(b * O + o) << 2));
      const g1 = f(dout + (<usize>((b + 1) * O + o) << 2));
      const g2 = f(dout + (<usize>((b + 2) * O + o) << 2));
      const g3 = f(dout + (<usize>((b + 3) * O + o) << 2));
      const g4 = f(dout + (<usize>((b + 4) * O + o) << 2));
      const g5 = f(dout + (<usize>((b + 5) * O + o) << 2));
      const g6 = f(dout + (<usize>((b + 6) * O + o) << 2));
      const g7 = f(dout + (<usize>((b + 7) * O + o) << 2));
      if (g0 == 0 && g1 == 0 && g2 == 0 && g3 == 0 && g4 == 0 && g5 == 0 && g6 == 0 && g7 == 0) continue;
      const bp = db + (<usize>o << 2);
      store<f32>(bp, <f32>(<f64>(<f32>(f(bp) + g0 + g1 + g2 + g3)) + g4 + g5 + g6 + g7));
      accumulateRows(dw + (<usize>(o * I) << 2), inp + (<usize>(b * I) << 2), I, g0, g1, g2, g3);
      accumulateRows(dw + (<usize>(o * I) << 2), inp + (<usize>((b + 4) * I) << 2), I, g4, g5, g6, g7);
    }
  }
  for (; b + 3 < B; b += 4) {
    for (let o = 0; o < O; o++) {
      const g0 = f(dout + (<usize>(b * O + o) << 2));
      const g1 = f(dout + (<usize>((b + 1) * O + o) << 2));
      const g2 = f(dout + (<usize>((b + 2) * O + o) << 2));
      const g3 = f(dout + (<usize>((b + 3) * O + o) << 2));
      if (g0 == 0 && g1 == 0 && g2 == 0 && g3 == 0) continue;
      const bp = db + (<usize>o << 2);
      store<f32>(bp, <f32>(f(bp) + g0 + g1 + g2 + g3));
      accumulateRows(dw + (<usize>(o * I) << 2), inp + (<usize>(b * I) << 2), I, g0, g1, g2, g3);
    }
  }
  for (; b < B; b++) {
    for (let o = 0; o < O; o++) {
      const g = f(dout + (<usize>(b * O + o) << 2));
      if (g == 0) continue;
      const bp = db + (<usize>o << 2);
      store<f32>(bp, <f32>(f(bp) + g));
      accumulateRows(dw + (<usize>(o * I) << 2), inp + (<usize>(b * I) << 2), I, g, 0, 0, 0, 1);
    }
  }
}

/** row[i] = round(row[i] + g0 x0[i] + ... + g(rows-1) x(rows-1)[i]) for `rows` (1 or 4) consecutive input rows. */
@inline function accumulateRows(row: usize, x0: usize, I: i32, g0: f64, g1: f64, g2: f64, g3: f64, rows: i32 = 4): void {
  const step = <usize>I << 2;
  const x1 = x0 + step;
  const x2 = x1 + step;
  const x3 = x2 + step;
  const v0 = f64x2.splat(g0);
  let i = 0;
  if (rows == 1) {
    for (; i + 1 < I; i += 2) {
      const k = <usize>i << 2;
      store2(row + k, f64x2.add(lo(row + k), f64x2.mul(v0, lo(x0 + k))));
    }
    for (; i < I; i++) store<f32>(row + (<usize>i << 2), <f32>(f(row + (<usize>i << 2)) + g0 * f(x0 + (<usize>i << 2))));
    return;
  }
  const v1 = f64x2.splat(g1);
  const v2 = f64x2.splat(g2);
  const v3 = f64x2.splat(g3);
  for (; i + 1 < I; i += 2) {
    const k = <usize>i << 2;
    let a = f64x2.add(lo(row + k), f64x2.mul(v0, lo(x0 + k)));
    a = f64x2.add(a, f64x2.mul(v1, lo(x1 + k)));
    a = f64x2.add(a, f64x2.mul(v2, lo(x2 + k)));
    store2(row + k, f64x2.add(a, f64x2.mul(v3, lo(x3 + k))));
  }
  for (; i < I; i++) {
    const k = <usize>i << 2;
    store<f32>(row + k, <f32>(f(row + k) + g0 * f(x0 + k) + g1 * f(x1 + k) + g2 * f(x2 + k) + g3 * f(x3 + k)));
  }
}

/** f32x4 weight gradient: four rows per pass, f32 products and sums. */
export function weightGradientFast(dw: usize, db: usize, dout: usize, inp: usize, B: i32, I: i32, O: i32): void {
  for (let b = 0; b < B; b += 4) {
    const rows = min(4, B - b);
    const step = <usize>I << 2;
    for (let o = 0; o < O; o++) {
      const g0 = load<f32>(dout + (<usize>(b * O + o) << 2));
      const g1 = rows > 1 ? load<f32>(dout + (<usize>((b + 1) * O + o) << 2)) : 0;
      const g2 = rows > 2 ? load<f32>(dout + (<usize>((b + 2) * O + o) << 2)) : 0;
      const g3 = rows > 3 ? load<f32>(dout + (<usize>((b + 3) * O + o) << 2)) : 0;
      if (g0 == 0 && g1 == 0 && g2 == 0 && g3 == 0) continue;
      const bp = db + (<usize>o << 2);
      store<f32>(bp, load<f32>(bp) + g0 + g1 + g2 + g3);
      const row = dw + (<usize>(o * I) << 2);
      // Rows past B get a zero gradient but are still read: point them at row 0 (times 0 adds nothing).
      const x0 = inp + (<usize>(b * I) << 2);
      const x1 = rows > 1 ? x0 + step : x0;
      const x2 = rows > 2 ? x1 + step : x0;
      const x3 = rows > 3 ? x2 + step : x0;
      const v0 = f32x4.splat(g0);
      const v1 = f32x4.splat(g1);
      const v2 = f32x4.splat(g2);
      const v3 = f32x4.splat(g3);
      let i = 0;
      for (; i + 3 < I; i += 4) {
        const k = <usize>i << 2;
        let a = f32x4.add(v128.load(row + k), f32x4.mul(v0, v128.load(x0 + k)));
        a = f32x4.add(a, f32x4.mul(v1, v128.load(x1 + k)));
        a = f32x4.add(a, f32x4.mul(v2, v128.load(x2 + k)));
        v128.store(row + k, f32x4.add(a, f32x4.mul(v3, v128.load(x3 + k))));
      }
      for (; i < I; i++) {
        const k = <usize>i << 2;
        store<f32>(row + k, load<f32>(row + k) + g0 * load<f32>(x0 + k) + g1 * load<f32>(x1 + k) + g2 * load<f32>(x2 + k) + g3 * load<f32>(x3 + k));
      }
    }
  }
}

/**
 * sqrt of the sum of squares of N floats in f64, eight partial sums (four f64x2) added at the end: the one serial
 * chain of l2Norm (a 4-cycle add per element) is what bounds a batch-1 step, so fast mode splits it.
 */
export function l2NormFast(p: usize, N: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 7 < N; i += 8) {
    const q = p + (<usize>i << 2);
    const a = lo(q);
    const b = lo(q + 8);
    const c = lo(q + 16);
    const d = lo(q + 24);
    s0 = f64x2.add(s0, f64x2.mul(a, a));
    s1 = f64x2.add(s1, f64x2.mul(b, b));
    s2 = f64x2.add(s2, f64x2.mul(c, c));
    s3 = f64x2.add(s3, f64x2.mul(d, d));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < N; i++) {
    const v = f(p + (<usize>i << 2));
    sum += v * v;
  }
  return Math.sqrt(sum);
}

/** p <- p - lr (g + wd p) in f64, rounded once (applyUpdate). */
export function applyUpdate(param: usize, grad: usize, N: i32, lr: f64, wd: f64): void {
  const lv = f64x2.splat(lr);
  const wv = f64x2.splat(wd);
  let i = 0;
  for (; i + 1 < N; i += 2) {
    const k = <usize>i << 2;
    const p = lo(param + k);
    store2(param + k, f64x2.sub(p, f64x2.mul(lv, f64x2.add(lo(grad + k), f64x2.mul(wv, p)))));
  }
  for (; i < N; i++) {
    const k = <usize>i << 2;
    const p = f(param + k);
    store<f32>(param + k, <f32>(p - lr * (f(grad + k) + wd * p)));
  }
}

/**
 * Hidden layer on one-hot inputs: h[b,o] = relu(bias[o] + sum over the row's hot inputs i (ascending) of W[o,i]), in f64,
 * rounded once; hot[b * hotPerRow + j] lists row b's hot input indices. Equals the dense kernel for finite weights
 * (the dense kernel only adds signed zeros besides these terms, and the ReLU maps a -0 to +0).
 */
export function oneHotHiddenForward(h: usize, hot: usize, hotPerRow: i32, w: usize, bias: usize, B: i32, I: i32, O: i32, _unused: usize): void {
  // Gathers straight from W (stride I): a transpose per call would cost more than the gather at small B.
  for (let b = 0; b < B; b++) {
    const y = h + (<usize>(b * O) << 2);
    const first = hot + (<usize>(b * hotPerRow) << 2);
    for (let o = 0; o < O; o++) {
      const row = w + (<usize>(o * I) << 2);
      let a = f(bias + (<usize>o << 2));
      for (let j = 0; j < hotPerRow; j++) a += f(row + (<usize>load<i32>(first + (<usize>j << 2)) << 2));
      store<f32>(y + (<usize>o << 2), <f32>((a + Math.abs(a)) * 0.5));
    }
  }
}

// Sign tables ("Four Russians", core/mlp.ts signHiddenForward), in the TS kernel's order and rounding: groups of 5
// inputs; table row (g, pattern) = sum_j s_j W[o, 5g + j] built in Gray-code order; the last table row stays zero.
const SIGN_GROUP = 5;
const GROUPS_PER_PASS = 4;

/** Fills the tables (f32, (groups * 32 + 1) x O) from W^T (wt, filled here); acc: O f64 of scratch. */
export function buildSignTables(table: usize, w: usize, I: i32, O: i32, wt: usize, acc: usize): void {
  transpose(wt, w, I, O);
  const groups = (I + SIGN_GROUP - 1) / SIGN_GROUP;
  for (let g = 0; g < groups; g++) {
    const start = g * SIGN_GROUP;
    const size = min(SIGN_GROUP, I - start);
    const base = table + (<usize>((g << SIGN_GROUP) * O) << 2);
    memory.fill(acc, 0, <usize>O << 3);
    for (let j = 0; j < size; j++) {
      const column = wt + (<usize>((start + j) * O) << 2);
      for (let o = 0; o < O; o++) {
        const a = acc + (<usize>o << 3);
        store<f64>(a, load<f64>(a) - f(column + (<usize>o << 2)));
      }
    }
    for (let o = 0; o < O; o++) store<f32>(base + (<usize>o << 2), <f32>load<f64>(acc + (<usize>o << 3)));
    const two = f64x2.splat(2);
    for (let pattern = 1; pattern < 1 << size; pattern++) {
      const high = 31 - clz(pattern);
      const from = base + (<usize>((pattern ^ (1 << high)) * O) << 2);
      const to = base + (<usize>(pattern * O) << 2);
      const column = wt + (<usize>((start + high) * O) << 2);
      let o = 0;
      for (; o + 1 < O; o += 2) {
        const k = <usize>o << 2;
        store2(to + k, f64x2.add(lo(from + k), f64x2.mul(two, lo(column + k))));
      }
      for (; o < O; o++) {
        const k = <usize>o << 2;
        store<f32>(to + k, <f32>(f(from + k) + 2 * f(column + k)));
      }
    }
  }
}

/** h = relu(W x + b) for B rows of +-1 inputs from built tables; offsets: scratch of ceil(groups / 4) * 4 i32, acc: O f64. */
export function signLookupForward(h: usize, inp: usize, bias: usize, B: i32, I: i32, O: i32, table: usize, offsets: usize, acc: usize): void {
  const groups = (I + SIGN_GROUP - 1) / SIGN_GROUP;
  const slots = ((groups + GROUPS_PER_PASS - 1) / GROUPS_PER_PASS) * GROUPS_PER_PASS;
  const zeroRow = groups * (1 << SIGN_GROUP) * O;
  const half = f64x2.splat(0.5);
  for (let b = 0; b < B; b++) {
    const x = inp + (<usize>(b * I) << 2);
    for (let g = 0; g < slots; g++) {
      let offset = zeroRow;
      if (g < groups) {
        const size = min(SIGN_GROUP, I - g * SIGN_GROUP);
        let pattern = 0;
        for (let j = 0; j < size; j++) pattern |= <i32>(load<f32>(x + (<usize>(g * SIGN_GROUP + j) << 2)) > 0) << j;
        offset = ((g << SIGN_GROUP) + pattern) * O;
      }
      store<i32>(offsets + (<usize>g << 2), offset);
    }
    const y = h + (<usize>(b * O) << 2);
    for (let pass = 0; pass < slots; pass += GROUPS_PER_PASS) {
      const t0 = table + (<usize>load<i32>(offsets + (<usize>pass << 2)) << 2);
      const t1 = table + (<usize>load<i32>(offsets + (<usize>(pass + 1) << 2)) << 2);
      const t2 = table + (<usize>load<i32>(offsets + (<usize>(pass + 2) << 2)) << 2);
      const t3 = table + (<usize>load<i32>(offsets + (<usize>(pass + 3) << 2)) << 2);
      const single = pass == 0 && slots == GROUPS_PER_PASS;
      let o = 0;
      for (; o + 1 < O; o += 2) {
        const k = <usize>o << 2;
        const a = acc + (<usize>o << 3);
        let s = pass == 0 ? lo(bias + k) : v128.load(a);
        s = f64x2.add(f64x2.add(f64x2.add(f64x2.add(s, lo(t0 + k)), lo(t1 + k)), lo(t2 + k)), lo(t3 + k));
        if (single) store2(y + k, f64x2.mul(f64x2.add(s, f64x2.abs(s)), half));
        else v128.store(a, s);
      }
      for (; o < O; o++) {
        const k = <usize>o << 2;
        const a = acc + (<usize>o << 3);
        const s = (pass == 0 ? f(bias + k) : load<f64>(a)) + f(t0 + k) + f(t1 + k) + f(t2 + k) + f(t3 + k);
        if (single) store<f32>(y + k, <f32>((s + Math.abs(s)) * 0.5));
        else store<f64>(a, s);
      }
    }
    if (slots > GROUPS_PER_PASS) {
      for (let o = 0; o < O; o++) {
        const s = load<f64>(acc + (<usize>o << 3));
        store<f32>(y + (<usize>o << 2), <f32>((s + Math.abs(s)) * 0.5));
      }
    }
  }
}

/** core/one-hot.ts oneHotWeightGradient, same order and rounding: dW += dh^T X, db += sum_b dh for one-hot X. */
export function oneHotWeightGradient(dw: usize, db: usize, dh: usize, hot: usize, hotPerRow: i32, B: i32, I: i32, H: i32): void {
  oneHotBiasGradient(db, dh, B, H);
  const quads = B - (B % 4);
  for (let start = 0; start < B; start += start < quads ? 4 : 1) {
    const end = start < quads ? start + 4 : start + 1;
    for (let r = start; r < end; r++) {
      for (let j = 0; j < hotPerRow; j++) {
        const i = load<i32>(hot + (<usize>(r * hotPerRow + j) << 2));
        if (!firstUse(hot, hotPerRow, start, r, j, i)) continue;
        for (let o = 0; o < H; o++) {
          const entry = dw + (<usize>(o * I + i) << 2);
          let sum = f(entry);
          for (let q = r; q < end; q++) {
            for (let s = 0; s < hotPerRow; s++) if (load<i32>(hot + (<usize>(q * hotPerRow + s) << 2)) == i) sum += f(dh + (<usize>(q * H + o) << 2));
          }
          store<f32>(entry, <f32>sum);
        }
      }
    }
  }
}

function firstUse(hot: usize, hotPerRow: i32, start: i32, r: i32, j: i32, i: i32): bool {
  for (let q = start; q <= r; q++) {
    const slots = q == r ? j : hotPerRow;
    for (let s = 0; s < slots; s++) if (load<i32>(hot + (<usize>(q * hotPerRow + s) << 2)) == i) return false;
  }
  return true;
}

function oneHotBiasGradient(db: usize, dh: usize, B: i32, H: i32): void {
  let b = 0;
  for (; b + 7 < B; b += 8) {
    for (let o = 0; o < H; o++) {
      const p = dh + (<usize>(b * H + o) << 2);
      const step = <usize>H << 2;
      const firstFour = <f64>(<f32>(f(db + (<usize>o << 2)) + f(p) + f(p + step) + f(p + 2 * step) + f(p + 3 * step)));
      store<f32>(db + (<usize>o << 2), <f32>(firstFour + f(p + 4 * step) + f(p + 5 * step) + f(p + 6 * step) + f(p + 7 * step)));
    }
  }
  for (; b + 3 < B; b += 4) {
    for (let o = 0; o < H; o++) {
      const p = dh + (<usize>(b * H + o) << 2);
      const step = <usize>H << 2;
      store<f32>(db + (<usize>o << 2), <f32>(f(db + (<usize>o << 2)) + f(p) + f(p + step) + f(p + 2 * step) + f(p + 3 * step)));
    }
  }
  for (; b < B; b++) {
    for (let o = 0; o < H; o++) store<f32>(db + (<usize>o << 2), <f32>(f(db + (<usize>o << 2)) + f(dh + (<usize>(b * H + o) << 2))));
  }
}

export { orthogonalizeExact, orthogonalizeWorkspaceBytes } from './egd';
export { evaluateSigns, signHiddenFast } from './signs';
export { signWeightGradientFast } from './signs';
export { signHiddenNarrowFast } from './signs';
export { signWeightGradientExact } from './signs';
