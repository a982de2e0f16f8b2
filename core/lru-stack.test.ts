// The Fenwick-tree LRU stack against the definition: a plain array, most recent first, walked on every access.
import { describe, expect, it } from 'vitest';
import { LruStack } from './lru-stack.js';
import { Rng } from './random.js';

/** The brute-force stack: depth = 1-based index in the array (most recent first), 0 when absent. */
class ListStack {
  readonly items: number[] = [];

  depthOf(id: number): number {
    return this.items.indexOf(id) + 1;
  }

  touch(id: number): number {
    const depth = this.depthOf(id);
    if (depth > 0) this.items.splice(depth - 1, 1);
    this.items.unshift(id);
    return depth;
  }

  remove(id: number): void {
    const depth = this.depthOf(id);
    if (depth > 0) this.items.splice(depth - 1, 1);
  }
}

function compareOnRandomTrace(seed: number, operations: number, distinctIds: number): void {
  const rng = new Rng(seed, 'lru-trace');
  const fast = new LruStack();
  const slow = new ListStack();
  for (let op = 0; op < operations; op++) {
    // a skewed id distribution: some ids come back quickly, others rarely (short and long distances)
    const id = Math.floor(distinctIds * rng.uniform() ** 2);
    const kind = rng.uniform();
    if (kind < 0.08) {
      fast.remove(id);
      slow.remove(id);
    } else if (kind < 0.2) {
      expect(fast.depthOf(id)).toBe(slow.depthOf(id));
    } else {
      expect(fast.touch(id)).toBe(slow.touch(id));
    }
    expect(fast.size).toBe(slow.items.length);
  }
  expect(fast.toArray()).toEqual(slow.items);
}

describe('LruStack', () => {
  it('gives the depth (top = 1) of the brute-force LRU list on random traces of touches, removals and peeks', () => {
    for (const seed of [1, 2, 3]) compareOnRandomTrace(seed, 4000, 60);
  });

  it('stays exact across many compactions of its time array (a long trace over a few live ids)', () => {
    compareOnRandomTrace(4, 30_000, 20);
  });

  it('stays exact while the live set grows past the initial capacity (more than 1024 distinct ids)', () => {
    compareOnRandomTrace(5, 12_000, 3000);
  });

  it('returns 0 for an element never seen and for one removed, and re-places a removed element on top', () => {
    const stack = new LruStack();
    expect(stack.touch(7)).toBe(0);
    expect(stack.touch(8)).toBe(0);
    expect(stack.depthOf(7)).toBe(2);
    stack.remove(7);
    expect(stack.depthOf(7)).toBe(0);
    expect(stack.touch(7)).toBe(0);
    expect(stack.toArray()).toEqual([7, 8]);
  });
});
