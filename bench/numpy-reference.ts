// Runs bench/reference.py (numpy's version of our loop) in a child process and reads its JSON answer.
// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine for old OpenBLAS builds; they slow a current
// numpy, so they are unset for this one command (env -u) and the BLAS kernel numpy then runs is recorded.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseTrainConfig, type TrainConfigInput } from '../core/index.js';
import { benchSeeds, type RunTiming } from './measure.js';

/** bench/reference.py, from the sources or from dist/bench (the compiled bench runs from there). */
export const referenceScript = fileURLToPath(
  new URL(import.meta.url.includes('/dist/bench/') ? '../../bench/reference.py' : './reference.py', import.meta.url),
);

/** What numpy computes with: its version, the BLAS library, the kernel OpenBLAS picked and its thread count. */
export type BlasInfo = { numpy: string; library?: string; kernel?: string; threads?: number };

export type NumpyRuns = { runs: (RunTiming & { seed: number; ms_per_epoch: number })[]; blas: BlasInfo };

const unsetBlasOverrides = ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE'];

/** Whether python3 with numpy can be run here (the bench and the parity test skip numpy otherwise). */
export function numpyAvailable(): boolean {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** The reference's loop on the same configuration (the fields it implements) and seeds; its own random numbers. */
export function runNumpyReference(config: TrainConfigInput, seeds = benchSeeds): NumpyRuns {
  const parsed = parseTrainConfig(config);
  if (parsed.task !== 'parity' || parsed.loss !== 'hinge' || parsed.order !== 'standard' || parsed.algorithm !== 'backprop' || parsed.curriculum) {
    throw new Error(
      `bench/numpy-reference.ts: the numpy reference implements parity + hinge + standard order only, got ${JSON.stringify(config)}; bench that case on our side alone`,
    );
  }
  if (!['sgd', 'sign-sgd', 'egd'].includes(parsed.optimizer)) {
    throw new Error(`bench/numpy-reference.ts: optimizer ${parsed.optimizer} is not in bench/reference.py (sgd, sign-sgd, egd)`);
  }
  const { n_bits, k, hidden, lr, wd, batch_size, n_train, n_test, max_epochs, optimizer } = parsed;
  const request = JSON.stringify({ n_bits, k, hidden, lr, wd, batch_size, n_train, n_test, max_epochs, optimizer, seeds });
  const output = execFileSync('env', [...unsetBlasOverrides, 'python3', referenceScript, request], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(output) as NumpyRuns;
}

/** numpy's forward pass on given weights and inputs (for the parity test): hidden activations and outputs. */
export function numpyForward(weights: { W1: number[][]; b1: number[]; W2: number[][]; b2: number[]; x: number[][] }): { h: number[][]; out: number[] } {
  const output = execFileSync('env', [...unsetBlasOverrides, 'python3', referenceScript, '--forward', JSON.stringify(weights)], { encoding: 'utf8' });
  return JSON.parse(output) as { h: number[][]; out: number[] };
}

export function describeBlas(blas: BlasInfo): string {
  const kernel = blas.kernel ? `, kernel ${blas.kernel}` : '';
  const threads = blas.threads !== undefined ? `, ${blas.threads} threads` : '';
  return `numpy ${blas.numpy} (${blas.library ?? 'BLAS unknown'}${kernel}${threads})`;
}
