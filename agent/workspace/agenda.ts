// AGENDA.md: the research questions a night works through (with dependencies and a status), the objective,
// the best result so far, and the claims that reached DISCOVERIES.md in a form a planner can compare. Both
// planners read it; after each cycle the planner returns an updated copy. Lines it cannot read are kept as written.
//   - [open] weight-decay: Does more weight decay shorten the plateau? (keys: wd; after: baseline)
//   - optimizer=sign-sgd: WIN at n_bits=30 [held] (findings/confirm-sign-sgd.md)
export type AgendaStatus = 'open' | 'answered' | 'contested';
export type AgendaQuestion = { id: string; status: AgendaStatus; text: string; keys: string[]; after: string[]; answer: string | null };
export type ClaimState = 'held' | 'did not hold' | 'contested';
/** A result that reached DISCOVERIES.md: the factor it changed, its class, where it was measured, and its fate. */
export type AgendaClaim = { change: string; cls: 'WIN' | 'LOSS' | 'MIXED'; conditions: string; state: ClaimState; finding_id: string };
export type Agenda = { objective: string; best: string; questions: AgendaQuestion[]; claims: AgendaClaim[]; lines: string[] };

export const AGENDA_PATH = 'AGENDA.md';

/** Fresh seeds for a confirmation: none of the canonical 42-46, at least ten. */
export const CONFIRMATION_SEEDS = [47, 48, 49, 50, 51, 52, 53, 54, 55, 56];

/** A confirmation experiment (confirm-<id>, ten seeds or more): the only kind whose discoveries reach DISCOVERIES.md. */
export function isConfirmation(spec: { id: string; seeds: readonly number[] }): boolean {
  return spec.id.startsWith('confirm-') && spec.seeds.length >= 10;
}

/** The experiment that decides a contradiction is named decide-<change>-<id>. */
export const DECISION_PREFIX = 'decide-';

export function isDecision(id: string): boolean {
  return id.startsWith(DECISION_PREFIX);
}

const questionPattern = /^- \[(open|answered|contested)\] ([a-z0-9-]+): (.*?)(?: \(((?:keys|after): [^()]*)\))?(?: → (.*))?$/;
const claimPattern = /^- (.+?): (WIN|LOSS|MIXED) at (.+?) \[(held|did not hold|contested)\] \(findings\/([a-z0-9-]+)\.md\)$/;

export function parseAgenda(text: string): Agenda {
  const agenda: Agenda = { objective: '', best: 'none yet', questions: [], claims: [], lines: text.split('\n') };
  for (const line of agenda.lines) {
    const objective = /^Objective: (.*)$/.exec(line);
    if (objective) agenda.objective = objective[1]!;
    const best = /^Best so far: (.*)$/.exec(line);
    if (best) agenda.best = best[1]!;
    const question = questionPattern.exec(line);
    if (question) agenda.questions.push(questionFrom(question));
    const claim = claimPattern.exec(line);
    if (claim)
      agenda.claims.push({
        change: claim[1]!,
        cls: claim[2] as AgendaClaim['cls'],
        conditions: claim[3]!,
        state: claim[4] as ClaimState,
        finding_id: claim[5]!,
      });
  }
  return agenda;
}

function questionFrom(match: RegExpExecArray): AgendaQuestion {
  const parts = Object.fromEntries(
    (match[4] ?? '')
      .split(';')
      .map((part) => part.split(':').map((piece) => piece.trim()))
      .filter((pair) => pair.length === 2),
  ) as Record<string, string>;
  const list = (value: string | undefined) =>
    value
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : [];
  return { id: match[2]!, status: match[1] as AgendaStatus, text: match[3]!, keys: list(parts['keys']), after: list(parts['after']), answer: match[5] ?? null };
}

export function questionLine(question: AgendaQuestion): string {
  const tags = [question.keys.length ? `keys: ${question.keys.join(', ')}` : '', question.after.length ? `after: ${question.after.join(', ')}` : ''].filter(
    Boolean,
  );
  return `- [${question.status}] ${question.id}: ${question.text}${tags.length ? ` (${tags.join('; ')})` : ''}${question.answer ? ` → ${question.answer}` : ''}`;
}

export function claimLine(claim: AgendaClaim): string {
  return `- ${claim.change}: ${claim.cls} at ${claim.conditions} [${claim.state}] (findings/${claim.finding_id}.md)`;
}

/** The agenda with its questions, claims and best line rewritten in place; a new claim goes under `## Claims`. */
export function renderAgenda(agenda: Agenda): string {
  const questions = new Map(agenda.questions.map((question) => [question.id, question]));
  const claimKey = (claim: { finding_id: string; change: string }) => `${claim.finding_id}|${claim.change}`;
  const claims = new Map(agenda.claims.map((claim) => [claimKey(claim), claim]));
  const written = new Set<string>();
  const lines = agenda.lines.map((line) => {
    const question = questionPattern.exec(line);
    if (question && questions.has(question[2]!)) return questionLine(questions.get(question[2]!)!);
    const claim = claimPattern.exec(line);
    if (claim) {
      const key = claimKey({ finding_id: claim[5]!, change: claim[1]! });
      written.add(key);
      return claims.has(key) ? claimLine(claims.get(key)!) : line;
    }
    return line.startsWith('Best so far: ') ? `Best so far: ${agenda.best}` : line;
  });
  const added = agenda.claims.filter((claim) => !written.has(claimKey(claim))).map(claimLine);
  if (added.length === 0) return lines.join('\n');
  let at = lines.findIndex((line) => /^## Claims\s*$/.test(line));
  if (at < 0) {
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    lines.push('', '## Claims', '');
    at = lines.length - 2;
  }
  let end = at + 1;
  while (end < lines.length && !lines[end]!.startsWith('#')) end++;
  while (end > at + 1 && lines[end - 1]!.trim() === '') end--;
  lines.splice(end, 0, ...(end === at + 1 ? [''] : []), ...added);
  return `${lines.join('\n').replace(/\n*$/, '')}\n`;
}

/** Open questions whose `after` questions are all answered (a question naming an unknown id waits for nothing). */
export function readyQuestions(agenda: Agenda): AgendaQuestion[] {
  const status = new Map(agenda.questions.map((question) => [question.id, question.status]));
  return agenda.questions.filter((question) => question.status === 'open' && question.after.every((id) => (status.get(id) ?? 'answered') === 'answered'));
}

/** The first question about a change (`key=value` before `key`), or null. `changes` are "optimizer=sign-sgd"-style. */
export function questionFor(agenda: Agenda, changes: readonly string[]): AgendaQuestion | null {
  const exact = agenda.questions.find((question) => question.keys.some((key) => changes.includes(key)));
  const keys = changes.map((change) => change.split('=')[0]!);
  return exact ?? agenda.questions.find((question) => question.keys.some((key) => keys.includes(key))) ?? null;
}

/**
 * Adds a claim. A held claim that contradicts an earlier held one (the same change, WIN against LOSS, measured where
 * `comparable` says one experiment can hold both) makes both contested; the question the claim is about is answered
 * by a held claim, or contested with it.
 */
export function recordClaim(
  agenda: Agenda,
  claim: AgendaClaim,
  comparable: (other: AgendaClaim) => boolean = () => true,
): { agenda: Agenda; contradicts: AgendaClaim | null } {
  const earlier = claim.state === 'held' ? (opposingClaims(agenda, claim).find(comparable) ?? null) : null;
  const contest = (other: AgendaClaim): AgendaClaim => (other === earlier ? { ...other, state: 'contested' } : other);
  const claims = [...agenda.claims.map(contest), { ...claim, state: earlier ? ('contested' as const) : claim.state }];
  const question = claim.state === 'held' ? questionFor(agenda, claim.change.split(', ')) : null;
  const versus = earlier ? ` against ${earlier.cls} at ${earlier.conditions}` : '';
  const answer = `${claim.change}: ${claim.cls} at ${claim.conditions}${versus} (findings/${claim.finding_id}.md)`;
  const status: AgendaStatus = earlier ? 'contested' : 'answered';
  const questions = agenda.questions.map((other) => (other === question ? { ...other, status, answer } : other));
  return { agenda: { ...agenda, claims, questions }, contradicts: earlier };
}

/** The earlier held claims of the same change with the opposite class (WIN against LOSS). */
export function opposingClaims(agenda: Agenda, claim: AgendaClaim): AgendaClaim[] {
  const opposite = (other: AgendaClaim) => [other.cls, claim.cls].sort().join() === 'LOSS,WIN';
  return agenda.claims.filter((other) => other.change === claim.change && other.state === 'held' && opposite(other));
}

/** The open question `id` answered (no change when it is not open). */
export function answerQuestion(agenda: Agenda, id: string, answer: string): Agenda {
  const questions = agenda.questions.map((question) =>
    question.id === id && question.status === 'open' ? { ...question, status: 'answered' as const, answer } : question,
  );
  return { ...agenda, questions };
}

/** A few lines for a prompt: the objective, the best so far, the ready and contested questions, the claims. */
export function renderAgendaCompact(agenda: Agenda): string {
  const ready = new Set(readyQuestions(agenda).map((question) => question.id));
  const questions = agenda.questions.map((question) => `${ready.has(question.id) ? '*' : ' '} ${questionLine(question).slice(2)}`);
  return [`Objective: ${agenda.objective}`, `Best so far: ${agenda.best}`, 'Questions (* = ready now):', ...questions, ...agenda.claims.map(claimLine)].join(
    '\n',
  );
}
