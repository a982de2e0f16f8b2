// Which planner a command uses: Claude when an API key is set (or --planner claude), the built-in
// rules otherwise, a recorded transcript with --replay. The whole loop works offline by default.
import { createBuiltinPlanner } from './builtin.js';
import { createClaudePlanner, createClaudeReplayPlanner } from './claude.js';
import type { Planner } from './planner.js';
import { parseTranscript } from '../llm/transcript.js';
import { readText } from '../io/workspace-files.js';
import { UserError } from '../user-error.js';

export type PlannerChoice = {
  planner?: string | undefined;
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  model?: string | undefined;
  budgetUsd?: number | undefined;
  replayPath?: string | undefined;
};

export class PlannerChoiceError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'PlannerChoiceError';
  }
}

export async function selectPlanner(choice: PlannerChoice): Promise<Planner> {
  if (choice.replayPath) {
    const text = await readText(choice.replayPath).catch(() => {
      throw new PlannerChoiceError(`--replay ${choice.replayPath}: cannot read the transcript; give results/<id>/llm-transcript.json`);
    });
    return createClaudeReplayPlanner(parseTranscript(text, choice.replayPath), choice.replayPath);
  }
  const name = choice.planner ?? (choice.apiKey ? 'claude' : 'builtin');
  if (name === 'builtin') return createBuiltinPlanner();
  if (name !== 'claude') throw new PlannerChoiceError(`--planner "${name}": use builtin or claude`);
  if (!choice.apiKey)
    throw new PlannerChoiceError('--planner claude needs ANTHROPIC_API_KEY in the environment (or use --planner builtin, which works offline)');
  return createClaudePlanner({
    apiKey: choice.apiKey,
    ...(choice.model ? { model: choice.model } : {}),
    ...(choice.baseURL ? { baseURL: choice.baseURL } : {}),
    ...(choice.budgetUsd !== undefined ? { budgetUsd: choice.budgetUsd } : {}),
  });
}
