// The results.json contract on the field a wasm run adds: RunResult.kernels (present only when a config named a backend).
import { describe, expect, it } from 'vitest';
import { buildFixtureResults } from '../findings/test-helpers/fixture.js';
import { parseResults, ResultsFileError } from './results-file.js';

function resultsWithKernels(kernels: unknown): string {
  const results = buildFixtureResults();
  Object.assign(results.arms[0]!.runs[0]!, { kernels });
  return JSON.stringify({ ...results, results_hash: 'ab'.repeat(32) });
}

describe('parseResults', () => {
  it('keeps the kernel set a run recorded', () => {
    const run = parseResults(resultsWithKernels('wasm-exact'), 'results.json').arms[0]!.runs[0]!;
    expect('kernels' in run && run.kernels).toBe('wasm-exact');
  });

  it('rejects a kernel set the lab does not know', () => {
    expect(() => parseResults(resultsWithKernels('gpu'), 'results.json')).toThrow(ResultsFileError);
    expect(() => parseResults(resultsWithKernels('gpu'), 'results.json')).toThrow(/field arms\.0\.runs\.0/);
  });
});
