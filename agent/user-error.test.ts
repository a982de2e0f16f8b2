// One class decides exit code 2: the expected errors across agent/ extend UserError, and the core's two input
// errors (the core cannot import agent/) are recognised by instanceof too; anything else is a bug.
import { describe, expect, it } from 'vitest';
import { parseSpec, parseTrainConfig } from '../core/index.js';
import { CoreChangedError } from './cycle/cycle.js';
import { LockError } from './io/lock.js';
import { HumanEditsError, NotAGitRepositoryError } from './io/git.js';
import { BudgetExceededError } from './llm/client.js';
import { PlannerChoiceError } from './planners/select.js';
import { isUserError, UserError } from './user-error.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('UserError', () => {
  it('is what the expected errors of agent/ are, keeping their own names and messages', () => {
    const errors = [
      new PlannerChoiceError('--planner "x": use builtin or claude'),
      new CoreChangedError('a'.repeat(64), 'b'.repeat(64)),
      new LockError('held', '/tmp/lock', null),
      new HumanEditsError('edited', '/tmp/ws', []),
      new NotAGitRepositoryError('not a repo'),
      new BudgetExceededError(1, 0.5),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(UserError);
      expect(isUserError(error)).toBe(true);
    }
    expect(errors.map((error) => error.name)).toEqual([
      'PlannerChoiceError',
      'CoreChangedError',
      'LockError',
      'HumanEditsError',
      'NotAGitRepositoryError',
      'BudgetExceededError',
    ]);
    expect(new UserError('--x: bad').name).toBe('UserError');
  });

  it("counts the core's config and spec errors as the user's", () => {
    expect(isUserError(thrownBy(() => parseTrainConfig({ k: 30 })))).toBe(true);
    expect(isUserError(thrownBy(() => parseSpec({ id: 'Bad Id' })))).toBe(true);
  });

  it('does not count other errors, even one named like a user error', () => {
    const impostor = new Error('boom');
    impostor.name = 'SpecError';
    expect(isUserError(impostor)).toBe(false);
    expect(isUserError(new TypeError('x is undefined'))).toBe(false);
    expect(isUserError('a string')).toBe(false);
  });
});
