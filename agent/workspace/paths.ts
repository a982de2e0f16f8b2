// Where everything lives in a workspace, spelled once. Every module asks here for a path.
export const TODO_PATH = 'TODO.md';
export const DISCOVERIES_PATH = 'DISCOVERIES.md';
export const SEARCH_SPACE_PATH = 'experiments/search-space.yaml';
/** The findings index, with the reproduction table generated into it from REPRODUCTION_PATH (a human's file). */
export const FINDINGS_README_PATH = 'findings/README.md';
export const REPRODUCTION_PATH = 'findings/reproduction.yaml';

export const specPath = (id: string) => `experiments/${id}.md`;
export const findingPath = (id: string) => `findings/${id}.md`;
/** Figures of a finding: findings/<id>/<name>.svg (linked from the finding as <id>/<name>.svg). */
export const figureDir = (id: string) => `findings/${id}`;
export const resultsDir = (id: string) => `results/${id}`;
export const resultsPath = (id: string) => `results/${id}/results.json`;
export const transcriptPath = (id: string) => `results/${id}/llm-transcript.json`;
export const reproduceCommand = (id: string) => `lab reproduce ${id}`;
