// The polar factor U V^T of a gradient matrix (EGD, arXiv:2510.04930), computed from the eigen-decomposition of
// its small Gram matrix instead of an SVD. Matrices are row-major; m names the Gram side, rows x cols the gradient.
import { symmetricEigen, type SymmetricEigenResult } from './eigen.js';

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
  checkOrthogonalizeArguments(grad, rows, cols, workspace);
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

/** The shape check of orthogonalize (and of its wasm twin, core/wasm/kernels.ts). */
export function checkOrthogonalizeArguments(grad: Float32Array, rows: number, cols: number, workspace: OrthogonalizeWorkspace): void {
  if (workspace.rows !== rows || workspace.cols !== cols || grad.length !== rows * cols) {
    throw new Error(
      `core/linalg.ts orthogonalize: grad has ${grad.length} entries for ${rows} x ${cols} and the workspace is for ` +
        `${workspace.rows} x ${workspace.cols}; create it with createOrthogonalizeWorkspace(${rows}, ${cols})`,
    );
  }
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
