// Dense Float64 linear algebra for the optimizers: a symmetric eigensolver (EISPACK/JAMA tred2 + tql2) and the
// polar factor U V^T of a gradient matrix, computed from the eigen-decomposition of its small Gram matrix (EGD).
// Matrices are row-major; n / m name the side of a square matrix, rows x cols a rectangular one.

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
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
  out: SymmetricEigenResult,
  scratch: Float64Array = new Float64Array(n),
): void {
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

/** Preallocated buffers for orthogonalize on one matrix shape; m = min(rows, cols) is the Gram matrix side. */
export type OrthogonalizeWorkspace = {
  rows: number;
  cols: number;
  m: number;
  /** m x m: the Gram matrix, then its eigenvectors (decomposed in place). */
  gram: Float64Array;
  eigen: SymmetricEigenResult;
  offDiagonal: Float64Array;
  /** m x m: eigenvectors scaled by lambda^(-1/4), so inverseRoot = scaled * scaled^T. */
  scaledVectors: Float64Array;
  /** m x m: (Gram)^(-1/2) on the range of the Gram matrix. */
  inverseRoot: Float64Array;
  /** One row (cols <= rows) or one column (cols > rows) of G, in Float64: m entries either way. */
  line: Float64Array;
};

export function createOrthogonalizeWorkspace(rows: number, cols: number): OrthogonalizeWorkspace {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new Error(`core/linalg.ts createOrthogonalizeWorkspace: rows and cols must be positive integers, got ${rows} x ${cols}`);
  }
  const m = Math.min(rows, cols);
  const gram = new Float64Array(m * m);
  return {
    rows,
    cols,
    m,
    gram,
    eigen: { values: new Float64Array(m), vectors: gram },
    offDiagonal: new Float64Array(m),
    scaledVectors: new Float64Array(m * m),
    inverseRoot: new Float64Array(m * m),
    line: new Float64Array(m),
  };
}

/**
 * Eigenvalues of the Gram matrix at or below this fraction of the largest are treated as zero. The Gram matrix
 * squares the singular values, so this drops directions with sigma <= 1e-5 * sigma_max: far above the
 * eigensolver's error (~1e-16 * lambda_max) and the Float32 rounding noise of a low-rank gradient (~1e-14).
 */
export const relativeEigenvalueThreshold = 1e-10;

/**
 * Replaces G (rows x cols, row-major) in place by its polar factor U V^T, where G = U S V^T: every nonzero
 * singular value becomes 1 (EGD, arXiv:2510.04930: G -> (G G^T)^(-1/2) G). Computed without an SVD as
 * G (G^T G)^(-1/2) when cols <= rows, else (G G^T)^(-1/2) G, the Gram matrix being min(rows, cols) square.
 * The inverse root is a pseudo-inverse: for a rank-deficient G the result is the partial isometry U_r V_r^T on G's
 * range. A full-rank U V^T would have to pick singular vectors for the zero singular values, and those are
 * arbitrary (any orthonormal completion): the update would inject directions the gradient never pointed to.
 * An all-zero G stays zero; a G with NaN or infinite entries becomes all NaN (the divergence stays visible).
 * Returns the rank kept.
 */
export function orthogonalize(grad: Float32Array, rows: number, cols: number, workspace: OrthogonalizeWorkspace): number {
  if (workspace.rows !== rows || workspace.cols !== cols || grad.length !== rows * cols) {
    throw new Error(
      `core/linalg.ts orthogonalize: grad has ${grad.length} entries for ${rows} x ${cols} and the workspace is for ` +
        `${workspace.rows} x ${workspace.cols}; create it with createOrthogonalizeWorkspace(${rows}, ${cols})`,
    );
  }
  const { gram, m } = workspace;
  if (cols <= rows) gramOfColumns(gram, grad, rows, cols);
  else gramOfRows(gram, grad, rows, cols);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += gram[i * m + i]!;
  if (!Number.isFinite(trace)) {
    grad.fill(NaN);
    return 0;
  }
  symmetricEigen(gram, m, workspace.eigen, workspace.offDiagonal);
  const rank = buildInverseRoot(workspace);
  if (rank === 0) grad.fill(0);
  else if (cols <= rows) multiplyRowsByInverseRoot(grad, rows, workspace);
  else multiplyColumnsByInverseRoot(grad, cols, workspace);
  return rank;
}

/** Lower triangle of G^T G (cols x cols): dot products of columns, accumulated in Float64. */
function gramOfColumns(gram: Float64Array, G: Float32Array, rows: number, cols: number): void {
  // Dot products of column a with columns b..b+3 at once: four accumulators in registers share each G[r, a] load.
  for (let a = 0; a < cols; a++) {
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < rows; r++) {
        const at = r * cols;
        const ga = G[at + a]!;
        s0 += ga * G[at + b]!;
        s1 += ga * G[at + b + 1]!;
        s2 += ga * G[at + b + 2]!;
        s3 += ga * G[at + b + 3]!;
      }
      gram[a * cols + b] = s0;
      gram[a * cols + b + 1] = s1;
      gram[a * cols + b + 2] = s2;
      gram[a * cols + b + 3] = s3;
    }
    for (; b <= a; b++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += G[r * cols + a]! * G[r * cols + b]!;
      gram[a * cols + b] = sum;
    }
  }
}

/** Lower triangle of G G^T (rows x rows): dot products of rows, accumulated in Float64. */
function gramOfRows(gram: Float64Array, G: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const rowI = i * cols;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * cols;
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += G[rowI + c]! * G[rowJ + c]!;
      gram[i * rows + j] = sum;
    }
  }
}

/** inverseRoot <- sum over kept eigenpairs of lambda^(-1/2) v v^T; returns how many were kept. */
function buildInverseRoot(workspace: OrthogonalizeWorkspace): number {
  const { m, scaledVectors: W, inverseRoot } = workspace;
  const { values, vectors: V } = workspace.eigen;
  const largest = values[m - 1]!; // ascending
  const threshold = relativeEigenvalueThreshold * largest;
  let firstKept = m;
  while (firstKept > 0 && values[firstKept - 1]! > threshold && values[firstKept - 1]! > 0) firstKept--;
  if (firstKept === m) return 0;
  for (let k = firstKept; k < m; k++) {
    const weight = 1 / Math.sqrt(Math.sqrt(values[k]!));
    for (let a = 0; a < m; a++) W[a * m + k] = V[a * m + k]! * weight;
  }
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let sum = 0;
      for (let k = firstKept; k < m; k++) sum += W[a * m + k]! * W[b * m + k]!;
      inverseRoot[a * m + b] = sum;
      inverseRoot[b * m + a] = sum;
    }
  }
  return m - firstKept;
}

/** G <- G * inverseRoot (cols <= rows), one row at a time; inverseRoot is symmetric, so rows stand in for columns. */
function multiplyRowsByInverseRoot(G: Float32Array, rows: number, workspace: OrthogonalizeWorkspace): void {
  const { m, inverseRoot, line } = workspace;
  for (let r = 0; r < rows; r++) {
    const rowStart = r * m;
    for (let k = 0; k < m; k++) line[k] = G[rowStart + k]!;
    let c = 0;
    // Four output entries at a time share each line[k] load.
    for (; c + 3 < m; c += 4) {
      const r0 = c * m;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < m; k++) {
        const value = line[k]!;
        s0 += value * inverseRoot[r0 + k]!;
        s1 += value * inverseRoot[r1 + k]!;
        s2 += value * inverseRoot[r2 + k]!;
        s3 += value * inverseRoot[r3 + k]!;
      }
      G[rowStart + c] = s0;
      G[rowStart + c + 1] = s1;
      G[rowStart + c + 2] = s2;
      G[rowStart + c + 3] = s3;
    }
    for (; c < m; c++) {
      let sum = 0;
      for (let k = 0; k < m; k++) sum += line[k]! * inverseRoot[c * m + k]!;
      G[rowStart + c] = sum;
    }
  }
}

/** G <- inverseRoot * G (cols > rows), one column at a time. */
function multiplyColumnsByInverseRoot(G: Float32Array, cols: number, workspace: OrthogonalizeWorkspace): void {
  const { m, inverseRoot, line } = workspace;
  for (let c = 0; c < cols; c++) {
    for (let k = 0; k < m; k++) line[k] = G[k * cols + c]!;
    for (let i = 0; i < m; i++) {
      const rootRow = i * m;
      let sum = 0;
      for (let k = 0; k < m; k++) sum += inverseRoot[rootRow + k]! * line[k]!;
      G[i * cols + c] = sum;
    }
  }
}
