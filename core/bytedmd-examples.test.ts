// ByteDMD's own published examples (cybertronai/ByteDMD README and tests), replayed on our LruStack with ByteDMD's
// rules, so the stack and the per-byte pricing the DmdTracker uses are checked against the metric's definition.
//
// The rules implemented here (ByteDMD README, "Computation Model"):
// 1. Eager initialisation: arguments are on the stack before the first instruction, the first argument on top; each
//    argument's elements are pushed in order (so its last element is the topmost).
// 2. Simultaneous pricing: an instruction's inputs are all priced against the stack before it; a repeated input is
//    charged per occurrence at the same depth.
// 3. Then the unique inputs move to the top in read order and the output is pushed on top, free.
// 4. Aggressive compaction: a value is removed right after its last use (liveness is known from the whole program).
// A read at element depth d with b bytes per element costs sum over bytes j in ((d-1)b, db] of ceil(sqrt(j)).
import { describe, expect, it } from 'vitest';
import { LruStack } from './lru-stack.js';

/** One instruction: the ids it reads (constants are untracked and left out) and the id of its output. */
type Instruction = [inputs: number[], output: number];

function byteCost(depth: number, bytes: number): number {
  let cost = 0;
  for (let j = (depth - 1) * bytes + 1; j <= depth * bytes; j++) cost += Math.ceil(Math.sqrt(j));
  return cost;
}

/** Runs a program under ByteDMD's rules; arguments are lists of ids, instructions refer to ids. */
function byteDmd(args: number[][], program: Instruction[], bytes = 1): { cost: number; trace: number[] } {
  const stack = new LruStack();
  for (const arg of [...args].reverse()) for (const id of arg) stack.touch(id);
  const lastUse = new Map<number, number>();
  program.forEach(([inputs], index) => inputs.forEach((id) => lastUse.set(id, index)));
  const trace: number[] = [];
  program.forEach(([inputs, output], index) => {
    trace.push(...inputs.map((id) => stack.depthOf(id)));
    for (const id of new Set(inputs)) stack.touch(id);
    for (const id of new Set(inputs)) if (lastUse.get(id) === index) stack.remove(id);
    stack.touch(output);
  });
  return { cost: trace.reduce((sum, depth) => sum + byteCost(depth, bytes), 0), trace };
}

describe('ByteDMD examples on our LRU stack', () => {
  it('prices my_add(a, b, c) = (a + b) + c at 6 with trace [1, 2, 1, 2], and at 14 with 2 bytes per element', () => {
    const program: Instruction[] = [
      [[0, 1], 3],
      [[3, 2], 4],
    ];
    expect(byteDmd([[0], [1], [2]], program)).toEqual({ cost: 6, trace: [1, 2, 1, 2] });
    expect(byteDmd([[0], [1], [2]], program, 2).cost).toBe(14);
  });

  it('prices the README dot product sum(a_i * b_i) of two 2-vectors at 12 (the sum starts from an untracked 0)', () => {
    // a = [0, 1] -> ids 0, 1; b = [2, 3] -> ids 2, 3; the generator interleaves: t0 = a0*b0, s = 0 + t0, t1 = a1*b1, s + t1
    const program: Instruction[] = [
      [[0, 2], 4],
      [[4], 5],
      [[1, 3], 6],
      [[5, 6], 7],
    ];
    expect(
      byteDmd(
        [
          [0, 1],
          [2, 3],
        ],
        program,
      ).cost,
    ).toBe(12);
  });

  it('prices a[0]*b[0] + a[1]*b[1] at 11 with trace [2, 4, 2, 3, 2, 1] (ByteDMD test_dot_product)', () => {
    const program: Instruction[] = [
      [[0, 2], 4],
      [[1, 3], 5],
      [[4, 5], 6],
    ];
    expect(
      byteDmd(
        [
          [0, 1],
          [2, 3],
        ],
        program,
      ),
    ).toEqual({ cost: 11, trace: [2, 4, 2, 3, 2, 1] });
  });

  it('prices e = b + c; f = a + d; e > f at 11 with trace [2, 3, 2, 3, 2, 1] (ByteDMD test_my_composite_func)', () => {
    const program: Instruction[] = [
      [[1, 2], 4],
      [[0, 3], 5],
      [[4, 5], 6],
    ];
    expect(byteDmd([[0], [1], [2], [3]], program)).toEqual({ cost: 11, trace: [2, 3, 2, 3, 2, 1] });
  });

  it('prices the 2x2 matvec of the README IR walkthrough at 26, and a + a charges both reads at depth 1', () => {
    // A = [[A00, A01], [A10, A11]] -> ids 0..3, x -> ids 4, 5; y0 = A00*x0 + A01*x1, y1 = A10*x0 + A11*x1
    const program: Instruction[] = [
      [[0, 4], 6],
      [[1, 5], 7],
      [[6, 7], 8],
      [[2, 4], 9],
      [[3, 5], 10],
      [[9, 10], 11],
    ];
    expect(
      byteDmd(
        [
          [0, 1, 2, 3],
          [4, 5],
        ],
        program,
      ),
    ).toEqual({ cost: 26, trace: [4, 6, 5, 6, 3, 1, 5, 3, 4, 3, 2, 1] });
    expect(byteDmd([[0]], [[[0, 0], 1]]).trace).toEqual([1, 1]);
  });
});
