// The committed module (core/wasm/kernel-bytes.ts) is what its AssemblyScript source compiles to now, and it is
// valid 128-bit SIMD wasm: a fresh build (a real child process running scripts/build-wasm.mjs) writes the same text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelWasmBytes, wasmSimdAvailable } from './arena.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the generated wasm module', () => {
  it('equals a fresh build of core/wasm/assembly/kernels.ts', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'kernel-bytes-')), 'kernel-bytes.ts');
    execFileSync(process.execPath, [join(root, 'scripts/build-wasm.mjs'), output]);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(join(root, 'core/wasm/kernel-bytes.ts'), 'utf8'));
  });

  it('is a wasm module this engine validates (Node 20 has SIMD), starting with the wasm magic number', () => {
    expect(Array.from(kernelWasmBytes().subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(wasmSimdAvailable()).toBe(true);
  });
});
