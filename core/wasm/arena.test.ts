// The arena's memory accounting: per-call copies are released after every call, on the copying path and on the
// training loop's path (views already on the memory), so a long run cannot fill the memory step by step.
import { describe, expect, it } from 'vitest';
import { WasmArena } from './arena.js';

describe('WasmArena', () => {
  it('releases the one-hot index copies a kernel takes when its arrays are already on the memory', () => {
    const arena = new WasmArena(1 << 20);
    const out = arena.allocate(16);
    const inp = arena.allocate(16);
    const free = arena.freeBytes;
    const indices = Int32Array.of(3, 5, 7, 9);
    // 1 MiB of memory, 16 bytes a call: 100k calls would fill it 1.5 times over if the copies stayed.
    for (let step = 0; step < 100_000; step++) arena.call([out], [inp], () => void arena.int32(indices, 4));
    expect(arena.freeBytes).toBe(free);
  });

  it('releases the copies of arrays that are not on the memory, and copies the outputs back', () => {
    const arena = new WasmArena(1 << 20);
    const free = arena.freeBytes;
    const out = new Float32Array(4);
    arena.call([out], [Float32Array.of(1, 2, 3, 4)], (pointers) => {
      const memory = new Float32Array(arena.allocate(0).buffer);
      for (let i = 0; i < 4; i++) memory[pointers[0]! / 4 + i] = 2 * memory[pointers[1]! / 4 + i]!;
    });
    expect(Array.from(out)).toEqual([2, 4, 6, 8]);
    expect(arena.freeBytes).toBe(free);
  });
});
