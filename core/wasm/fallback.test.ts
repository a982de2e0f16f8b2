// Where wasm SIMD is missing, backend wasm falls back to the TS kernels with a one-line notice. A missing SIMD is
// simulated by an injected engine that refuses every module using the SIMD opcode prefix (0xfd), as an engine
// without SIMD refuses the tiny SIMD module the check validates.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config.js';
import type { RunResult } from '../result.js';
import { train } from '../train.js';
import { tinySimdModule, wasmSimdAvailable, type WasmEngine } from './arena.js';

const engineWithoutSimd: WasmEngine = { validate: (bytes) => WebAssembly.validate(bytes) && !bytes.includes(0xfd) };

function numbers(result: RunResult): string {
  const { kernels: _kernels, kernels_notice: _notice, ...rest } = result;
  return JSON.stringify(rest);
}

describe('the wasm SIMD check', () => {
  it('validates a tiny SIMD module: true on this engine, false on one without SIMD', () => {
    expect(WebAssembly.validate(tinySimdModule)).toBe(true);
    expect(wasmSimdAvailable()).toBe(true);
    expect(wasmSimdAvailable(engineWithoutSimd)).toBe(false);
  });
});

describe('a run on backend wasm where SIMD is missing', () => {
  const config = { task: 'parity', n_bits: 8, k: 2, hidden: 16, n_train: 200, n_test: 50, max_epochs: 5, optimizer: 'egd', lr: 0.01 } as const;

  it('runs the TS kernels, records kernels ts with a one-line notice, and repeats the TS run number for number', () => {
    const reference = train(parseTrainConfig(config), 42);
    const fallback = train(parseTrainConfig({ ...config, backend: 'wasm', backend_mode: 'fast' }), 42, {
      simdAvailable: () => wasmSimdAvailable(engineWithoutSimd),
    });
    expect(fallback.kernels).toBe('ts');
    expect(fallback.kernels_notice).toBe('backend wasm (fast) unavailable: this engine lacks WebAssembly SIMD; using the TypeScript kernels');
    expect(fallback.kernels_notice).not.toContain('\n');
    expect(numbers(fallback)).toBe(numbers(reference));
  });

  it('records no notice where SIMD is there', () => {
    const run = train(parseTrainConfig({ ...config, backend: 'wasm' }), 42);
    expect(run.kernels).toBe('wasm-exact');
    expect(run.kernels_notice).toBeUndefined();
  });
});
