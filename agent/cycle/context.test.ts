// The planning context read from a real workspace on disk: which results count as the newest.
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec, type ExperimentResults } from '../../core/index.js';
import { writeFinding, writeResults, type WorkspaceWriter } from '../experiments/write-outputs.js';
import { sampleResults, validSpecInput } from '../llm/test-helpers/planning-context.js';
import { readWorkspace } from './context.js';
import { createTestWorkspace, removeTestWorkspaces } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

/** sampleResults() under another id, finished at the given time (a valid results.json as the runner writes it). */
function resultsFinishedAt(id: string, finishedAt: string): ExperimentResults {
  const base = sampleResults();
  return {
    ...base,
    id,
    spec: parseSpec({ ...validSpecInput(id) }),
    provenance: { ...base.provenance, finished_at: finishedAt },
    results_hash: 'a'.repeat(64),
  };
}

describe('the planning context', () => {
  it('shows the experiment that finished last as the last results, not the last id of the same day', async () => {
    const workspace = await createTestWorkspace();
    const write: WorkspaceWriter = async (path, content) => workspace.write(path, content);
    // All three on one date: the findings index orders them by id (a-..., m-..., z-...).
    const runs = [
      resultsFinishedAt('z-first', '2026-11-22T01:00:00.000Z'),
      resultsFinishedAt('a-last', '2026-11-22T03:00:00.000Z'),
      resultsFinishedAt('m-middle', '2026-11-22T02:00:00.000Z'),
    ];
    for (const results of runs) {
      await writeResults(write, results);
      await writeFinding(write, results, { date: '2026-11-22' });
    }

    const snapshot = await readWorkspace(workspace.dir, '2026-11-22');

    expect(snapshot.context.findings.map((finding) => finding.id)).toEqual(['a-last', 'm-middle', 'z-first']);
    expect(snapshot.context.lastResults?.id).toBe('a-last');
  });
});
