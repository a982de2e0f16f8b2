// The three update orders at batch size 1 are one maths in three orders of buffer accesses (seed 003: perlayer+single
// solves in exactly the epochs of standard+single; seed 004: fused and per-layer change where data sits, not the
// numbers). On mini-batches per-layer re-forwards through the new W1 before layer 2 steps, which changes the maths.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig, type OrderName, type TrainConfigInput } from './config.js';
import { MemTracker, nullTracker, type Tracker } from './tracker.js';
import { train } from './train.js';

const orders: OrderName[] = ['standard', 'fused', 'per-layer'];

/** Every buffer access of a short run, in order. */
function accessOrder(overrides: TrainConfigInput): string[] {
  const accesses: string[] = [];
  const recorder: Tracker = {
    ...nullTracker,
    read: (name, floats) => void accesses.push(`r ${name} ${floats}`),
    write: (name, floats) => void accesses.push(`w ${name} ${floats}`),
  };
  train(parseTrainConfig({ n_train: 8, max_epochs: 1, ...overrides }), 42, { tracker: recorder });
  return accesses;
}

describe('update orders at batch size 1', () => {
  it("give standard's exact runs on seeds 42-46 (the canonical config at batch 1): same epochs, every number equal", () => {
    for (const seed of [42, 43, 44, 45, 46]) {
      const [standard, fused, perLayer] = orders.map((order) => train(parseTrainConfig({ batch_size: 1, order }), seed));
      expect(standard!.solve_epoch).not.toBeNull();
      expect(JSON.stringify(fused!.history)).toBe(JSON.stringify(standard!.history));
      expect(JSON.stringify(perLayer!.history)).toBe(JSON.stringify(standard!.history));
    }
  });

  it('touch the same buffers in three different orders (per-layer reads dout and h again for its later layer-2 step)', () => {
    const [standard, fused, perLayer] = orders.map((order) => accessOrder({ batch_size: 1, order }));
    expect([...fused!].sort()).toEqual([...standard!].sort());
    const updatedSteps = standard!.filter((access) => access === 'w dW2 200').length;
    expect(updatedSteps).toBeGreaterThan(0);
    const rereads = Array.from({ length: updatedSteps }, () => ['r dout 1', 'r h 200']).flat();
    expect([...perLayer!].sort()).toEqual([...standard!, ...rereads].sort());
    expect(fused).not.toEqual(standard);
    expect(perLayer).not.toEqual(standard);
    expect(perLayer).not.toEqual(fused);
    // per-layer updates W1 before layer 2's weight gradient exists; standard computes dW2 first
    const firstStep = (accesses: string[]) => accesses.slice(accesses.indexOf('r x 20'));
    const position = (accesses: string[], access: string) => firstStep(accesses).indexOf(access);
    expect(position(perLayer!, 'w W1 4000')).toBeLessThan(position(perLayer!, 'w dW2 200'));
    expect(position(standard!, 'w dW2 200')).toBeLessThan(position(standard!, 'w W1 4000'));
  });

  it('measure different reuse distances for the same weight traffic', () => {
    const [standard, fused, perLayer] = orders.map(
      (order) => train(parseTrainConfig({ batch_size: 1, order, n_train: 50, max_epochs: 1 }), 42, { tracker: new MemTracker() }).memory!,
    );
    expect(fused!.floats_read).toBe(standard!.floats_read);
    for (const buffer of ['W1', 'W2', 'dW1', 'dW2', 'x']) expect(perLayer!.buffers[buffer]!.floats_read).toBe(standard!.buffers[buffer]!.floats_read);
    expect(new Set([standard!.ard, fused!.ard, perLayer!.ard]).size).toBe(3);
  });
});

describe('per-layer on mini-batches', () => {
  it('re-forwards through the new W1 before layer 2 steps: more traffic and another trajectory than standard', () => {
    const config = (order: OrderName) => parseTrainConfig({ n_bits: 10, k: 2, hidden: 32, n_train: 300, max_epochs: 5, order });
    expect(JSON.stringify(train(config('per-layer'), 44).history)).not.toBe(JSON.stringify(train(config('standard'), 44).history));
    const forwards = (accesses: string[]) => accesses.filter((access) => access.startsWith('w out ')).length;
    expect(forwards(accessOrder({ batch_size: 4, order: 'per-layer' }))).toBe(2 * forwards(accessOrder({ batch_size: 4, order: 'standard' })));
  });
});
