// Fisher's exact test on a 2x2 table (solved / not solved per arm): the exact test for a solve rate.
// Two-sided p = sum of the hypergeometric probabilities of every table with the same margins that is no more
// likely than the observed one (scipy.stats.fisher_exact's rule, with the same 1e-7 relative tolerance).

export type FisherResult = {
  /** Two-sided p-value; 1 when either arm has no runs. */
  p_value: number;
  /** The smallest two-sided p any table with these arm sizes could give: the floor of the test (2 / C(n1 + n2, n1) at best). */
  p_floor: number;
};

/** Fisher's exact test: `successesA` of `totalA` against `successesB` of `totalB`. */
export function fisherExactTest(successesA: number, totalA: number, successesB: number, totalB: number): FisherResult {
  for (const [name, value] of Object.entries({ successesA, totalA, successesB, totalB })) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`fisherExactTest: ${name} = ${value}; counts must be whole numbers >= 0`);
  }
  if (successesA > totalA || successesB > totalB)
    throw new Error(`fisherExactTest: successes exceed totals (${successesA}/${totalA}, ${successesB}/${totalB})`);
  if (totalA === 0 || totalB === 0) return { p_value: 1, p_floor: 1 };
  return { p_value: twoSidedP(totalA, totalB, successesA, successesB), p_floor: fisherFloor(totalA, totalB) };
}

function twoSidedP(totalA: number, totalB: number, successesA: number, successesB: number): number {
  const probabilities = tableProbabilities(totalA, totalB, successesA + successesB);
  const observed = probabilities.get(successesA)!;
  let p = 0;
  for (const probability of probabilities.values()) if (probability <= observed * (1 + 1e-7)) p += probability;
  return Math.min(1, p);
}

/** P(X = x) for X ~ Hypergeometric: x successes in arm A, given the arm sizes and the total successes. */
function tableProbabilities(totalA: number, totalB: number, successes: number): Map<number, number> {
  const low = Math.max(0, successes - totalB);
  const high = Math.min(successes, totalA);
  const logDenominator = logBinomial(totalA + totalB, successes);
  const probabilities = new Map<number, number>();
  for (let x = low; x <= high; x++) probabilities.set(x, Math.exp(logBinomial(totalA, x) + logBinomial(totalB, successes - x) - logDenominator));
  return probabilities;
}

/** The smallest two-sided p over every possible outcome with these arm sizes. */
function fisherFloor(totalA: number, totalB: number): number {
  let floor = 1;
  for (let a = 0; a <= totalA; a++) for (let b = 0; b <= totalB; b++) floor = Math.min(floor, twoSidedP(totalA, totalB, a, b));
  return floor;
}

function logBinomial(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  let sum = 0;
  for (let i = 1; i <= Math.min(k, n - k); i++) sum += Math.log(n - Math.min(k, n - k) + i) - Math.log(i);
  return sum;
}
