// The eigensolver and EGD's orthogonalization against independent references (a one-sided Jacobi SVD).
import { describe, expect, it } from 'vitest';
import { createSymmetricEigenResult, symmetricEigen } from './eigen.js';
import { createOrthogonalizeWorkspace, orthogonalize } from './linalg.js';
import { Rng } from './random.js';

function randomMatrix(rng: Rng, rows: number, cols: number, scale = 1): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => scale * rng.normal());
}

function randomSymmetric(rng: Rng, n: number): Float64Array {
  const a = randomMatrix(rng, n, n);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = a[i * n + j]! + a[j * n + i]!;
  return s;
}

function multiply(a: Float64Array, b: Float64Array, rows: number, inner: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      for (let j = 0; j < cols; j++) out[i * cols + j]! += a[i * inner + k]! * b[k * cols + j]!;
    }
  }
  return out;
}

function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function maxAbs(a: ArrayLike<number>): number {
  return maxAbsDifference(a, new Float64Array(a.length));
}

type ReferenceSvd = { singularValues: number[]; polar: Float64Array };

/**
 * Reference: one-sided Jacobi SVD (Hestenes) in Float64, an algorithm independent of the Gram + eigen route.
 * Returns the singular values (unsorted) and U_r V_r^T over those above 1e-5 * the largest.
 */
function jacobiSvd(a: ArrayLike<number>, rows: number, cols: number): ReferenceSvd {
  if (rows < cols) {
    const result = jacobiSvd(transpose(a, rows, cols), cols, rows);
    return { singularValues: result.singularValues, polar: transpose(result.polar, cols, rows) };
  }
  const U = Float64Array.from(a);
  const V = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) V[i * cols + i] = 1;
  const rotate = (M: Float64Array, length: number, width: number, p: number, q: number, c: number, s: number) => {
    for (let i = 0; i < length; i++) {
      const mp = M[i * width + p]!;
      const mq = M[i * width + q]!;
      M[i * width + p] = c * mp - s * mq;
      M[i * width + q] = s * mp + c * mq;
    }
  };
  for (let sweep = 0, rotated = true; rotated && sweep < 100; sweep++) {
    rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0,
          beta = 0,
          gamma = 0;
        for (let i = 0; i < rows; i++) {
          alpha += U[i * cols + p]! ** 2;
          beta += U[i * cols + q]! ** 2;
          gamma += U[i * cols + p]! * U[i * cols + q]!;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        rotate(U, rows, cols, p, q, c, c * t);
        rotate(V, cols, cols, p, q, c, c * t);
      }
    }
  }
  const singularValues = Array.from({ length: cols }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += U[i * cols + j]! ** 2;
    return Math.sqrt(sum);
  });
  const largest = Math.max(...singularValues);
  const polar = new Float64Array(rows * cols);
  singularValues.forEach((sigma, j) => {
    if (sigma <= 1e-5 * largest) return;
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < cols; k++) polar[i * cols + k]! += (U[i * cols + j]! / sigma) * V[k * cols + j]!;
    }
  });
  return { singularValues, polar };
}

describe('symmetricEigen', () => {
  for (const n of [1, 2, 5, 20, 60]) {
    it(`satisfies A V = V diag(values) and V^T V = I on a random symmetric ${n} x ${n} matrix`, () => {
      const A = randomSymmetric(new Rng(n, 'test'), n);
      const out = createSymmetricEigenResult(n);
      symmetricEigen(A, n, out, new Float64Array(n));
      const { values, vectors: V } = out;
      const AV = multiply(A, V, n, n, n);
      const VD = Float64Array.from(V, (v, index) => v * values[index % n]!);
      const scale = maxAbs(A);
      expect(maxAbsDifference(AV, VD)).toBeLessThan(1e-12 * n * scale);
      const identity = Float64Array.from({ length: n * n }, (_, index) => (index % (n + 1) === 0 ? 1 : 0));
      expect(maxAbsDifference(multiply(transpose(V, n, n), V, n, n, n), identity)).toBeLessThan(1e-12 * n);
      for (let j = 1; j < n; j++) expect(values[j]!).toBeGreaterThanOrEqual(values[j - 1]!);
    });
  }

  it('decomposes in place, reading only the lower triangle, and handles a repeated eigenvalue', () => {
    // A = 3 I + u u^T: eigenvalue 3 repeated four times and 3 + |u|^2 once.
    const n = 5;
    const u = [1, 2, 0, -1, 0.5];
    const out = createSymmetricEigenResult(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) out.vectors[i * n + j] = j > i ? 999 : (i === j ? 3 : 0) + u[i]! * u[j]!;
    }
    symmetricEigen(out.vectors, n, out);
    expect(Array.from(out.values)).toEqual([3, 3, 3, 3, 3 + 6.25].map((v) => expect.closeTo(v, 12)));
    const top = Array.from({ length: n }, (_, i) => out.vectors[i * n + n - 1]! / 2.5);
    const alignment = Math.abs(top.reduce((sum, v, i) => sum + v * u[i]!, 0));
    expect(alignment).toBeCloseTo(1, 12);
  });

  it('returns NaN values for a matrix with a NaN entry instead of looping forever', () => {
    const out = createSymmetricEigenResult(2);
    symmetricEigen(Float64Array.from([1, 0, NaN, 1]), 2, out);
    expect(Number.isNaN(out.values[0])).toBe(true);
  });
});

describe('orthogonalize', () => {
  const shapes: Array<[number, number]> = [
    [200, 20],
    [20, 200],
    [7, 5],
    [97, 200],
  ];
  for (const [rows, cols] of shapes) {
    it(`matches U V^T of a reference Jacobi SVD on a random ${rows} x ${cols} matrix`, () => {
      const grad = Float32Array.from(randomMatrix(new Rng(rows * 1000 + cols, 'test'), rows, cols, 0.01));
      const reference = jacobiSvd(grad, rows, cols);
      const rank = orthogonalize(grad, rows, cols, createOrthogonalizeWorkspace(rows, cols));
      expect(rank).toBe(Math.min(rows, cols));
      expect(maxAbsDifference(grad, reference.polar)).toBeLessThan(1e-4);
      for (const sigma of jacobiSvd(grad, rows, cols).singularValues) expect(sigma).toBeCloseTo(1, 4);
    });
  }

  it('maps a rank-3 50 x 10 matrix to the partial isometry on its range', () => {
    const rng = new Rng(3, 'test');
    const [rows, cols, rank] = [50, 10, 3];
    const product = multiply(randomMatrix(rng, rows, rank), randomMatrix(rng, rank, cols), rows, rank, cols);
    const grad = Float32Array.from(product);
    const reference = jacobiSvd(grad, rows, cols);
    expect(orthogonalize(grad, rows, cols, createOrthogonalizeWorkspace(rows, cols))).toBe(rank);
    expect(maxAbsDifference(grad, reference.polar)).toBeLessThan(1e-4);
    const sigmas = jacobiSvd(grad, rows, cols).singularValues.sort((a, b) => b - a);
    for (const sigma of sigmas.slice(0, rank)) expect(sigma).toBeCloseTo(1, 4);
    for (const sigma of sigmas.slice(rank)) expect(sigma).toBeLessThan(1e-4);
  });

  it('reuses one workspace across calls with the same result', () => {
    const workspace = createOrthogonalizeWorkspace(30, 8);
    const source = Float32Array.from(randomMatrix(new Rng(7, 'test'), 30, 8));
    const first = source.slice();
    orthogonalize(first, 30, 8, workspace);
    orthogonalize(Float32Array.from(randomMatrix(new Rng(8, 'test'), 30, 8)), 30, 8, workspace);
    const again = source.slice();
    orthogonalize(again, 30, 8, workspace);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('leaves an all-zero matrix zero and turns a NaN gradient into NaN', () => {
    const zero = new Float32Array(12);
    expect(orthogonalize(zero, 4, 3, createOrthogonalizeWorkspace(4, 3))).toBe(0);
    expect(Array.from(zero)).toEqual(new Array(12).fill(0));
    const broken = Float32Array.from([1, 2, NaN, 4, 5, 6]);
    orthogonalize(broken, 2, 3, createOrthogonalizeWorkspace(2, 3));
    expect(Array.from(broken).every(Number.isNaN)).toBe(true);
  });

  it('names the fix when the workspace does not match the matrix shape', () => {
    expect(() => orthogonalize(new Float32Array(6), 2, 3, createOrthogonalizeWorkspace(3, 2))).toThrow(/createOrthogonalizeWorkspace\(2, 3\)/);
  });
});
