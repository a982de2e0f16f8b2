// EGD's polar factor U V^T in wasm (core/linalg.ts orthogonalize and core/eigen.ts symmetricEigen, in their float order):
// the Gram matrix, tred2 + tql2, the inverse root and the product. Every operation is an IEEE f64 add, mul, div, sqrt,
// abs or max, which wasm and JS round identically, so the result has the TS bits. SIMD only where lanes are independent
// sums kept in the TS order (Gram entries, output entries) or element-wise updates (QL rotations); no fused multiply-add.
// Workspace at ws, f64, m = min(rows, cols): gram/vectors m*m | values m | offDiagonal m | scaled m*m | inverseRoot m*m |
// line m | wide rows*cols (G in f64, so the Gram and the product load f64 pairs without converting each time) | 32 bytes.

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

@inline function g32(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + (<usize>i << 2));
}

/** Bytes of the workspace orthogonalizeExact needs for a rows x cols gradient. */
export function orthogonalizeWorkspaceBytes(rows: i32, cols: i32): i32 {
  const m = min(rows, cols);
  // 32 bytes of slack: the Gram kernel's last blocks read up to 24 bytes past the matrix.
  return ((3 * m * m + 3 * m + rows * cols) << 3) + 32;
}

const relativeEigenvalueThreshold: f64 = 1e-10;

/**
 * grad (rows x cols, f32) <- its polar factor, as core/linalg.ts orthogonalize. Returns the rank kept, or -1 - l when
 * QL did not converge for eigenvalue l (the TS side throws the TS message).
 */
export function orthogonalizeExact(grad: usize, rows: i32, cols: i32, ws: usize): i32 {
  const m = min(rows, cols);
  const gram = ws;
  const values = gram + (<usize>(m * m) << 3);
  const offDiagonal = values + (<usize>m << 3);
  const scaled = offDiagonal + (<usize>m << 3);
  const root = scaled + (<usize>(m * m) << 3);
  const line = root + (<usize>(m * m) << 3);
  const wide = line + (<usize>m << 3);
  if (cols <= rows) {
    widen(wide, grad, rows * cols);
    gramOfColumns(gram, wide, rows, cols);
  } else gramOfRows(gram, grad, rows, cols);
  let trace: f64 = 0;
  for (let i = 0; i < m; i++) trace += ld(gram, i * m + i);
  const N = rows * cols;
  if (!isFinite<f64>(trace)) {
    for (let i = 0; i < N; i++) store<f32>(grad + (<usize>i << 2), <f32>NaN);
    return 0;
  }
  const failed = symmetricEigen(gram, values, offDiagonal, m);
  if (failed >= 0) return -1 - failed;
  const rank = buildInverseRoot(values, gram, scaled, root, m);
  if (rank === 0) {
    for (let i = 0; i < N; i++) store<f32>(grad + (<usize>i << 2), 0);
  } else if (cols <= rows) multiplyRowsByInverseRoot(grad, wide, rows, root, m);
  else multiplyColumnsByInverseRoot(grad, cols, root, line, m);
  return rank;
}

/** wide[i] = G[i] in f64. */
function widen(wide: usize, G: usize, N: i32): void {
  let i = 0;
  for (; i + 1 < N; i += 2) v128.store(wide + (<usize>i << 3), f64x2.promote_low_f32x4(v128.load64_zero(G + (<usize>i << 2))));
  for (; i < N; i++) st(wide, i, g32(G, i));
}

/**
 * Lower triangle of A^T A for A (rows x cols, f64, row-major; rowBytes apart): columns a, a+1 against columns b..b+3,
 * in f64x2 lanes, each entry summed over r in order from 0 (the TS order). Blocks that cross the diagonal compute a
 * few entries of the upper triangle too and store only up to the row's end (the eigensolver never reads the upper
 * triangle before writing it); blocks that cross the last column read up to 24 bytes past A, which the caller provides.
 */
function gramOfColumns(gram: usize, A: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 3;
  let a = 0;
  for (; a + 1 < cols; a += 2) {
    for (let b = 0; b <= a + 1; b += 4) {
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      let p = A + (<usize>b << 3);
      let q = A + (<usize>a << 3);
      for (let r = 0; r < rows; r++) {
        const g0 = v128.load64_splat(q);
        const g1 = v128.load64_splat(q + 8);
        const x0 = v128.load(p);
        const x1 = v128.load(p + 16);
        s00 = f64x2.add(s00, f64x2.mul(g0, x0));
        s01 = f64x2.add(s01, f64x2.mul(g0, x1));
        s10 = f64x2.add(s10, f64x2.mul(g1, x0));
        s11 = f64x2.add(s11, f64x2.mul(g1, x1));
        p += rowBytes;
        q += rowBytes;
      }
      const at = gram + (<usize>(a * cols + b) << 3);
      storeLanes(at, s00, s01, min(4, cols - b));
      storeLanes(at + rowBytes, s10, s11, min(4, cols - b));
    }
  }
  if (a < cols) {
    for (let b = 0; b <= a; b += 4) {
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let p = A + (<usize>b << 3);
      let q = A + (<usize>a << 3);
      for (let r = 0; r < rows; r++) {
        const g0 = v128.load64_splat(q);
        s0 = f64x2.add(s0, f64x2.mul(g0, v128.load(p)));
        s1 = f64x2.add(s1, f64x2.mul(g0, v128.load(p + 16)));
        p += rowBytes;
        q += rowBytes;
      }
      storeLanes(gram + (<usize>(a * cols + b) << 3), s0, s1, min(4, cols - b));
    }
  }
}

/** The first count (1..4) of the four f64 lanes s0, s1 at p. */
@inline function storeLanes(p: usize, s0: v128, s1: v128, count: i32): void {
  if (count >= 2) v128.store(p, s0);
  else v128.store64_lane(p, s0, 0);
  if (count >= 4) v128.store(p + 16, s1);
  else if (count === 3) v128.store64_lane(p + 16, s1, 0);
}

/** Lower triangle of G G^T (rows x rows): dot products of rows in order of c. */
function gramOfRows(gram: usize, G: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j <= i; j++) {
      let sum: f64 = 0;
      for (let c = 0; c < cols; c++) sum += g32(G, i * cols + c) * g32(G, j * cols + c);
      st(gram, i * rows + j, sum);
    }
  }
}

/**
 * inverseRoot <- sum over kept eigenpairs of lambda^(-1/2) v v^T; returns how many were kept. The scaled vectors are
 * stored transposed (row k = v_k lambda_k^(-1/4)), so the sum over k is the Gram kernel's, in the TS order of k.
 */
function buildInverseRoot(values: usize, V: usize, WT: usize, root: usize, m: i32): i32 {
  const largest = ld(values, m - 1);
  const threshold = relativeEigenvalueThreshold * largest;
  let firstKept = m;
  while (firstKept > 0 && ld(values, firstKept - 1) > threshold && ld(values, firstKept - 1) > 0) firstKept--;
  if (firstKept === m) return 0;
  for (let k = firstKept; k < m; k++) {
    const weight = 1 / Math.sqrt(Math.sqrt(ld(values, k)));
    for (let a = 0; a < m; a++) st(WT, k * m + a, ld(V, k * m + a) * weight);
  }
  gramOfColumns(root, WT + (<usize>(firstKept * m) << 3), m - firstKept, m);
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) st(root, b * m + a, ld(root, a * m + b));
  return m - firstKept;
}

/**
 * G <- G * inverseRoot (cols = m <= rows), reading G from wide: rows r, r+1 by outputs c..c+3 in f64x2 lanes, each
 * summed over k in order (inverseRoot is exactly symmetric, so its row k stands in for column k).
 */
function multiplyRowsByInverseRoot(G: usize, wide: usize, rows: i32, root: usize, m: i32): void {
  const rowBytes = <usize>m << 3;
  let r = 0;
  for (; r + 3 < rows && m >= 4; r += 4) multiplyFourRows(G, wide, r, root, m);
  for (; r + 1 < rows; r += 2) {
    const x0 = wide + (<usize>(r * m) << 3);
    const y0 = G + (<usize>(r * m) << 2);
    let c = 0;
    for (; c + 3 < m; c += 4) {
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      let q = root + (<usize>c << 3);
      let x = x0;
      for (let k = 0; k < m; k++) {
        const v0 = v128.load64_splat(x);
        const v1 = v128.load64_splat(x + rowBytes);
        const w0 = v128.load(q);
        const w1 = v128.load(q + 16);
        s00 = f64x2.add(s00, f64x2.mul(v0, w0));
        s01 = f64x2.add(s01, f64x2.mul(v0, w1));
        s10 = f64x2.add(s10, f64x2.mul(v1, w0));
        s11 = f64x2.add(s11, f64x2.mul(v1, w1));
        q += rowBytes;
        x += 8;
      }
      const out = y0 + (<usize>c << 2);
      v128.store64_lane(out, f32x4.demote_f64x2_zero(s00), 0);
      v128.store64_lane(out + 8, f32x4.demote_f64x2_zero(s01), 0);
      v128.store64_lane(out + (<usize>m << 2), f32x4.demote_f64x2_zero(s10), 0);
      v128.store64_lane(out + (<usize>m << 2) + 8, f32x4.demote_f64x2_zero(s11), 0);
    }
    for (; c < m; c++) {
      productEntry(G, wide, root, m, r, c);
      productEntry(G, wide, root, m, r + 1, c);
    }
  }
  if (r < rows) for (let c = 0; c < m; c++) productEntry(G, wide, root, m, r, c);
}

/** Rows r..r+3 by outputs c..c+3: eight f64x2 sums in flight hide the add latency. */
function multiplyFourRows(G: usize, wide: usize, r: i32, root: usize, m: i32): void {
  const rowBytes = <usize>m << 3;
  const x0 = wide + (<usize>(r * m) << 3);
  const y0 = G + (<usize>(r * m) << 2);
  const yStep = <usize>m << 2;
  let c = 0;
  for (; c + 3 < m; c += 4) {
    let s00 = f64x2.splat(0);
    let s01 = f64x2.splat(0);
    let s10 = f64x2.splat(0);
    let s11 = f64x2.splat(0);
    let s20 = f64x2.splat(0);
    let s21 = f64x2.splat(0);
    let s30 = f64x2.splat(0);
    let s31 = f64x2.splat(0);
    let q = root + (<usize>c << 3);
    let x = x0;
    for (let k = 0; k < m; k++) {
      const w0 = v128.load(q);
      const w1 = v128.load(q + 16);
      let v = v128.load64_splat(x);
      s00 = f64x2.add(s00, f64x2.mul(v, w0));
      s01 = f64x2.add(s01, f64x2.mul(v, w1));
      v = v128.load64_splat(x + rowBytes);
      s10 = f64x2.add(s10, f64x2.mul(v, w0));
      s11 = f64x2.add(s11, f64x2.mul(v, w1));
      v = v128.load64_splat(x + 2 * rowBytes);
      s20 = f64x2.add(s20, f64x2.mul(v, w0));
      s21 = f64x2.add(s21, f64x2.mul(v, w1));
      v = v128.load64_splat(x + 3 * rowBytes);
      s30 = f64x2.add(s30, f64x2.mul(v, w0));
      s31 = f64x2.add(s31, f64x2.mul(v, w1));
      q += rowBytes;
      x += 8;
    }
    const out = y0 + (<usize>c << 2);
    v128.store64_lane(out, f32x4.demote_f64x2_zero(s00), 0);
    v128.store64_lane(out + 8, f32x4.demote_f64x2_zero(s01), 0);
    v128.store64_lane(out + yStep, f32x4.demote_f64x2_zero(s10), 0);
    v128.store64_lane(out + yStep + 8, f32x4.demote_f64x2_zero(s11), 0);
    v128.store64_lane(out + 2 * yStep, f32x4.demote_f64x2_zero(s20), 0);
    v128.store64_lane(out + 2 * yStep + 8, f32x4.demote_f64x2_zero(s21), 0);
    v128.store64_lane(out + 3 * yStep, f32x4.demote_f64x2_zero(s30), 0);
    v128.store64_lane(out + 3 * yStep + 8, f32x4.demote_f64x2_zero(s31), 0);
  }
  for (; c < m; c++) for (let j = 0; j < 4; j++) productEntry(G, wide, root, m, r + j, c);
}

@inline function productEntry(G: usize, wide: usize, root: usize, m: i32, r: i32, c: i32): void {
  let sum: f64 = 0;
  for (let k = 0; k < m; k++) sum += ld(wide, r * m + k) * ld(root, c * m + k);
  store<f32>(G + (<usize>(r * m + c) << 2), <f32>sum);
}

/** G <- inverseRoot * G (rows = m < cols), one column at a time. */
function multiplyColumnsByInverseRoot(G: usize, cols: i32, root: usize, line: usize, m: i32): void {
  for (let c = 0; c < cols; c++) {
    for (let k = 0; k < m; k++) st(line, k, g32(G, k * cols + c));
    for (let i = 0; i < m; i++) {
      let sum: f64 = 0;
      for (let k = 0; k < m; k++) sum += ld(root, i * m + k) * ld(line, k);
      store<f32>(G + (<usize>(i * cols + c) << 2), <f32>sum);
    }
  }
}

// ---- core/eigen.ts: tred2 + tql2 on V = the matrix (in place), d = values, e = offDiagonal. ----

/**
 * Returns -1, or the eigenvalue QL did not converge for. A non-finite lower triangle gives NaN values and vectors.
 * The vectors come out transposed (row k of V is eigenvector k): the QL rotations and the sort then work on rows.
 */
function symmetricEigen(V: usize, d: usize, e: usize, n: i32): i32 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) sum += ld(V, i * n + j) * 0;
  if (sum !== 0) {
    for (let i = 0; i < n; i++) st(d, i, NaN);
    for (let i = 0; i < n * n; i++) st(V, i, NaN);
    return -1;
  }
  if (n === 0) return -1;
  tridiagonalize(V, d, e, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const t = ld(V, i * n + j);
      st(V, i * n + j, ld(V, j * n + i));
      st(V, j * n + i, t);
    }
  }
  return diagonalizeTridiagonal(V, d, e, n);
}

function tridiagonalize(V: usize, d: usize, e: usize, n: i32): void {
  for (let j = 0; j < n; j++) st(d, j, ld(V, (n - 1) * n + j));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(ld(d, k));
    if (scale === 0) {
      st(e, i, ld(d, i - 1));
      for (let j = 0; j < i; j++) {
        st(d, j, ld(V, (i - 1) * n + j));
        st(V, i * n + j, 0);
        st(V, j * n + i, 0);
      }
    } else {
      householderStep(V, d, e, n, i, scale);
      h = ld(d, i);
    }
    st(d, i, h);
  }
  accumulateTransforms(V, d, n);
  st(e, 0, 0);
}

/** The non-zero-scale branch of tred2's step i; leaves h in d[i] for the caller. */
function householderStep(V: usize, d: usize, e: usize, n: i32, i: i32, scale: f64): void {
  let h: f64 = 0;
  for (let k = 0; k < i; k++) {
    st(d, k, ld(d, k) / scale);
    h += ld(d, k) * ld(d, k);
  }
  let f = ld(d, i - 1);
  let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
  st(e, i, scale * g);
  h -= f * g;
  st(d, i - 1, f - g);
  for (let j = 0; j < i; j++) st(e, j, 0);
  for (let j = 0; j < i; j++) {
    f = ld(d, j);
    st(V, j * n + i, f);
    g = ld(e, j) + ld(V, j * n + j) * f;
    for (let k = j + 1; k <= i - 1; k++) {
      g += ld(V, k * n + j) * ld(d, k);
      st(e, k, ld(e, k) + ld(V, k * n + j) * f);
    }
    st(e, j, g);
  }
  f = 0;
  for (let j = 0; j < i; j++) {
    st(e, j, ld(e, j) / h);
    f += ld(e, j) * ld(d, j);
  }
  const hh = f / (h + h);
  for (let j = 0; j < i; j++) st(e, j, ld(e, j) - hh * ld(d, j));
  for (let j = 0; j < i; j++) {
    f = ld(d, j);
    g = ld(e, j);
    for (let k = j; k <= i - 1; k++) st(V, k * n + j, ld(V, k * n + j) - (f * ld(e, k) + g * ld(d, k)));
    st(d, j, ld(V, (i - 1) * n + j));
    st(V, i * n + j, 0);
  }
  st(d, i, h);
}

function accumulateTransforms(V: usize, d: usize, n: i32): void {
  for (let i = 0; i < n - 1; i++) {
    st(V, (n - 1) * n + i, ld(V, i * n + i));
    st(V, i * n + i, 1);
    const h = ld(d, i + 1);
    if (h !== 0) {
      for (let k = 0; k <= i; k++) st(d, k, ld(V, k * n + i + 1) / h);
      // Columns j, j+1 at once (f64x2): each column's g and update are its own, and no column reads another's.
      let j = 0;
      for (; j < i; j += 2) {
        let g = f64x2.splat(0);
        for (let k = 0; k <= i; k++) g = f64x2.add(g, f64x2.mul(v128.load64_splat(V + (<usize>(k * n + i + 1) << 3)), v128.load(V + (<usize>(k * n + j) << 3))));
        for (let k = 0; k <= i; k++) {
          const q = V + (<usize>(k * n + j) << 3);
          v128.store(q, f64x2.sub(v128.load(q), f64x2.mul(g, v128.load64_splat(d + (<usize>k << 3)))));
        }
      }
      if (j === i) {
        let g: f64 = 0;
        for (let k = 0; k <= i; k++) g += ld(V, k * n + i + 1) * ld(V, k * n + j);
        for (let k = 0; k <= i; k++) st(V, k * n + j, ld(V, k * n + j) - g * ld(d, k));
      }
    }
    for (let k = 0; k <= i; k++) st(V, k * n + i + 1, 0);
  }
  for (let j = 0; j < n; j++) {
    st(d, j, ld(V, (n - 1) * n + j));
    st(V, (n - 1) * n + j, 0);
  }
  st(V, (n - 1) * n + (n - 1), 1);
}

const machineEpsilon: f64 = 2.220446049250313e-16; // 2 ** -52
const maxQlIterationsPerEigenvalue = 64;

function diagonalizeTridiagonal(V: usize, d: usize, e: usize, n: i32): i32 {
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  st(e, n - 1, 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = max<f64>(tst1, Math.abs(ld(d, l)) + Math.abs(ld(e, l)));
    let m = l;
    while (m < n - 1 && Math.abs(ld(e, m)) > machineEpsilon * tst1) m++;
    let iterations = 0;
    while (m > l && Math.abs(ld(e, l)) > machineEpsilon * tst1) {
      if (++iterations > maxQlIterationsPerEigenvalue) return l;
      f += qlStep(V, d, e, n, l, m);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
  sortAscending(V, d, n);
  return -1;
}

/** One implicit shifted QL sweep; V is transposed, so the rotation of vectors i, i+1 runs along two rows in f64x2. */
function qlStep(V: usize, d: usize, e: usize, n: i32, l: i32, m: i32): f64 {
  let g = ld(d, l);
  let p = (ld(d, l + 1) - g) / (2 * ld(e, l));
  let r = hypot(p, 1);
  if (p < 0) r = -r;
  st(d, l, ld(e, l) / (p + r));
  st(d, l + 1, ld(e, l) * (p + r));
  const dl1 = ld(d, l + 1);
  let h = g - ld(d, l);
  for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
  const shift = h;
  p = ld(d, m);
  let c: f64 = 1;
  let c2 = c;
  let c3 = c;
  const el1 = ld(e, l + 1);
  let s: f64 = 0;
  let s2: f64 = 0;
  const rowBytes = <usize>n << 3;
  for (let i = m - 1; i >= l; i--) {
    c3 = c2;
    c2 = c;
    s2 = s;
    g = c * ld(e, i);
    h = c * p;
    r = hypot(p, ld(e, i));
    st(e, i + 1, s * r);
    s = ld(e, i) / r;
    c = p / r;
    p = c * ld(d, i) - s * g;
    st(d, i + 1, h + s * (c * g + s * ld(d, i)));
    // [V[k,i], V[k,i+1]] <- [c V[k,i] - s V[k,i+1], s V[k,i] + c V[k,i+1]], V transposed: rows i and i + 1.
    const cv = f64x2.splat(c);
    const sv = f64x2.splat(s);
    const a = V + <usize>i * rowBytes;
    const b = a + rowBytes;
    let k = 0;
    for (; k + 1 < n; k += 2) {
      const q = <usize>k << 3;
      const x = v128.load(a + q);
      const y = v128.load(b + q);
      v128.store(a + q, f64x2.sub(f64x2.mul(cv, x), f64x2.mul(sv, y)));
      v128.store(b + q, f64x2.add(f64x2.mul(cv, y), f64x2.mul(sv, x)));
    }
    if (k < n) {
      const x = ld(a, k);
      const y = ld(b, k);
      st(a, k, c * x - s * y);
      st(b, k, c * y + s * x);
    }
  }
  p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
  st(e, l, s * p);
  st(d, l, c * p);
  return shift;
}

function sortAscending(V: usize, d: usize, n: i32): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = ld(d, i);
    for (let j = i + 1; j < n; j++) {
      if (ld(d, j) < p) {
        k = j;
        p = ld(d, j);
      }
    }
    if (k === i) continue;
    st(d, k, ld(d, i));
    st(d, i, p);
    for (let j = 0; j < n; j++) {
      const t = ld(V, i * n + j);
      st(V, i * n + j, ld(V, k * n + j));
      st(V, k * n + j, t);
    }
  }
}

/** sqrt(a^2 + b^2) without overflow or underflow, as core/eigen.ts hypot. */
function hypot(a: f64, b: f64): f64 {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0) return 0;
  const small = x > y ? y : x;
  const ratio = small / big;
  return big * Math.sqrt(1 + ratio * ratio);
}
