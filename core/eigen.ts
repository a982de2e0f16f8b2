// A symmetric eigensolver in Float64 (EISPACK/JAMA tred2 + tql2): Householder tridiagonalization, then implicit
// QL with shifts. Used by EGD on small Gram matrices (20 x 20 for the canonical W1 gradient). Row-major, n x n.

export type SymmetricEigenResult = {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** n x n row-major; column j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
};

export function createSymmetricEigenResult(n: number): SymmetricEigenResult {
  return { values: new Float64Array(n), vectors: new Float64Array(n * n) };
}

/**
 * Eigen-decomposition of a symmetric n x n matrix: Householder reduction to tridiagonal form, then implicit QL
 * (tred2/tql2, as in JAMA). Reads only the lower triangle; `matrix` may be `out.vectors` (decomposed in place).
 * `scratch` (length n) holds the off-diagonal; pass one to avoid allocating per call.
 * A matrix with a NaN or infinite entry yields NaN values and vectors.
 */
export function symmetricEigen(matrix: Float64Array, n: number, out: SymmetricEigenResult, scratch: Float64Array = new Float64Array(n)): void {
  checkEigenArguments(matrix, n, out, scratch);
  const { values, vectors } = out;
  if (!lowerTriangleIsFinite(matrix, n)) {
    values.fill(NaN, 0, n);
    vectors.fill(NaN, 0, n * n);
    return;
  }
  if (matrix !== vectors) vectors.set(matrix.subarray(0, n * n));
  if (n === 0) return;
  tridiagonalize(vectors, values, scratch, n);
  diagonalizeTridiagonal(vectors, values, scratch, n);
}

function checkEigenArguments(matrix: Float64Array, n: number, out: SymmetricEigenResult, scratch: Float64Array): void {
  const where = 'core/linalg.ts symmetricEigen';
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: n must be a non-negative integer, got ${n}`);
  if (matrix.length < n * n) throw new Error(`${where}: matrix has ${matrix.length} entries, n=${n} needs ${n * n}`);
  if (out.values.length < n || out.vectors.length < n * n) {
    throw new Error(`${where}: out is too small for n=${n}; create it with createSymmetricEigenResult(${n})`);
  }
  if (scratch.length < n) throw new Error(`${where}: scratch has ${scratch.length} entries, pass one of length >= ${n}`);
}

function lowerTriangleIsFinite(matrix: Float64Array, n: number): boolean {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) sum += matrix[i * n + j]! * 0; // NaN * 0 and Inf * 0 are NaN
  }
  return sum === 0;
}

/** tred2: V <- the Householder transforms, d <- diagonal, e <- sub-diagonal (in e[1..n-1]). */
function tridiagonalize(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * d[k]!;
          e[k] = e[k]! + V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  accumulateTransforms(V, d, n);
  e[0] = 0;
}

/** Second half of tred2: turn the stored Householder vectors into the orthogonal matrix Q with Q^T A Q = T. */
function accumulateTransforms(V: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + (n - 1)] = 1;
}

const machineEpsilon = 2 ** -52;
const maxQlIterationsPerEigenvalue = 64;

/** tql2: implicit QL with Wilkinson-like shifts on the tridiagonal (d, e); rotations accumulate into V. */
function diagonalizeTridiagonal(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > machineEpsilon * tst1) m++;
    let iterations = 0;
    while (m > l && Math.abs(e[l]!) > machineEpsilon * tst1) {
      if (++iterations > maxQlIterationsPerEigenvalue) {
        throw new Error(`core/linalg.ts symmetricEigen: QL did not converge for eigenvalue ${l} of ${n}`);
      }
      f += qlStep(V, d, e, n, l, m);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  sortAscending(V, d, n);
}

/** One implicit shifted QL sweep over rows l..m; returns the shift applied to d[l+2..]. */
function qlStep(V: Float64Array, d: Float64Array, e: Float64Array, n: number, l: number, m: number): number {
  let g = d[l]!;
  let p = (d[l + 1]! - g) / (2 * e[l]!);
  let r = hypot(p, 1);
  if (p < 0) r = -r;
  d[l] = e[l]! / (p + r);
  d[l + 1] = e[l]! * (p + r);
  const dl1 = d[l + 1]!;
  let h = g - d[l]!;
  for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
  const shift = h;
  p = d[m]!;
  let c = 1;
  let c2 = c;
  let c3 = c;
  const el1 = e[l + 1]!;
  let s = 0;
  let s2 = 0;
  for (let i = m - 1; i >= l; i--) {
    c3 = c2;
    c2 = c;
    s2 = s;
    g = c * e[i]!;
    h = c * p;
    r = hypot(p, e[i]!);
    e[i + 1] = s * r;
    s = e[i]! / r;
    c = p / r;
    p = c * d[i]! - s * g;
    d[i + 1] = h + s * (c * g + s * d[i]!);
    for (let k = 0; k < n; k++) {
      const vk = V[k * n + i + 1]!;
      V[k * n + i + 1] = s * V[k * n + i]! + c * vk;
      V[k * n + i] = c * V[k * n + i]! - s * vk;
    }
  }
  p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
  e[l] = s * p;
  d[l] = c * p;
  return shift;
}

function sortAscending(V: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k === i) continue;
    d[k] = d[i]!;
    d[i] = p;
    for (let j = 0; j < n; j++) {
      const t = V[j * n + i]!;
      V[j * n + i] = V[j * n + k]!;
      V[j * n + k] = t;
    }
  }
}

/** sqrt(a^2 + b^2) without overflow or underflow (Math.hypot is variadic and slow in the QL inner loop). */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0) return 0;
  const small = x > y ? y : x;
  const ratio = small / big;
  return big * Math.sqrt(1 + ratio * ratio);
}
