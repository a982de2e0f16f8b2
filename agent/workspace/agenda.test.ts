import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isConfirmation, parseAgenda, questionFor, readyQuestions, renderAgenda, renderAgendaCompact } from './agenda.js';

const template = readFileSync(new URL('../../templates/AGENDA.md', import.meta.url), 'utf8');

describe('the agenda (AGENDA.md)', () => {
  it("reads lab init's agenda: the objective, the seeds' questions with keys and dependencies, no claims yet", () => {
    const agenda = parseAgenda(template);
    expect(agenda.objective).toMatch(/^fewer epochs to solve \(solve_epoch/);
    expect(agenda.best).toBe('none yet');
    expect(agenda.questions.length).toBeGreaterThanOrEqual(12);
    expect(agenda.questions.find((question) => question.id === 'sign-sgd')).toEqual({
      id: 'sign-sgd',
      status: 'open',
      text: 'Does sign SGD need fewer epochs than SGD, each at its best learning rate?',
      keys: ['optimizer=sign-sgd'],
      after: ['baseline'],
      answer: null,
    });
    expect(agenda.claims).toEqual([]);
    expect(renderAgenda(agenda)).toBe(template);
  });

  it('makes a question ready once every question it waits for is answered', () => {
    const agenda = parseAgenda(template);
    expect(readyQuestions(agenda).map((question) => question.id)).toEqual(['baseline']);
    const answered = {
      ...agenda,
      questions: agenda.questions.map((question) => (question.id === 'baseline' ? { ...question, status: 'answered' as const } : question)),
    };
    const ready = readyQuestions(answered).map((question) => question.id);
    expect(ready).toContain('sign-sgd');
    expect(ready).not.toContain('sparse-sum'); // it waits for egd
  });

  it('finds the question a change is about, key=value before the bare key', () => {
    const agenda = parseAgenda(template);
    expect(questionFor(agenda, ['optimizer=egd'])?.id).toBe('egd');
    expect(questionFor(agenda, ['lr=0.2'])?.id).toBe('learning-rate');
    expect(questionFor(agenda, ['n_train=2000'])).toBeNull();
  });

  it('rewrites questions, claims and the best line in place, adds new claims under ## Claims, and keeps every other line', () => {
    const text = template.replace('## Questions\n', '## Questions\n\nA note a human wrote.\n');
    const agenda = parseAgenda(text);
    const claim = {
      change: 'optimizer=egd',
      cls: 'WIN' as const,
      conditions: 'the canonical configuration',
      state: 'held' as const,
      finding_id: 'confirm-egd',
    };
    const updated = {
      ...agenda,
      best: 'egd (findings/confirm-egd.md)',
      questions: agenda.questions.map((question) =>
        question.id === 'egd' ? { ...question, status: 'answered' as const, answer: 'WIN (findings/confirm-egd.md)' } : question,
      ),
      claims: [claim],
    };
    const rendered = renderAgenda(updated);
    expect(rendered).toContain('A note a human wrote.');
    expect(rendered).toContain('Best so far: egd (findings/confirm-egd.md)');
    expect(rendered).toContain(
      '- [answered] egd: Does EGD reach 90% in fewer epochs than SGD, and is its wall time worth it? (keys: optimizer=egd; after: baseline) → WIN (findings/confirm-egd.md)',
    );
    expect(rendered.endsWith('## Claims\n\n- optimizer=egd: WIN at the canonical configuration [held] (findings/confirm-egd.md)\n')).toBe(true);
    const again = parseAgenda(rendered);
    expect(again.claims).toEqual([claim]);
    const contested = renderAgenda({ ...again, claims: [{ ...claim, state: 'contested' }] });
    expect(contested.match(/optimizer=egd: WIN/g)).toHaveLength(1);
    expect(contested).toContain('[contested] (findings/confirm-egd.md)');
  });

  it('renders a compact view for a prompt, marking the ready questions', () => {
    const compact = renderAgendaCompact(parseAgenda(template));
    expect(compact.split('\n').slice(0, 3)).toEqual([expect.stringMatching(/^Objective: /), 'Best so far: none yet', 'Questions (* = ready now):']);
    expect(compact).toContain('* [open] baseline:');
    expect(compact).toContain('  [open] egd:');
  });

  it('calls an experiment a confirmation only under confirm- with ten seeds or more', () => {
    expect(isConfirmation({ id: 'confirm-x', seeds: [47, 48, 49, 50, 51, 52, 53, 54, 55, 56] })).toBe(true);
    expect(isConfirmation({ id: 'confirm-x', seeds: [47, 48, 49] })).toBe(false);
    expect(isConfirmation({ id: 'x', seeds: [47, 48, 49, 50, 51, 52, 53, 54, 55, 56] })).toBe(false);
  });
});
