// How a `lab` command is declared: its name, positional arguments and flags (type, default, description) in
// one object that drives parsing, usage and --help (program.ts turns it into a commander command). `run`
// gets typed values and the process context, and returns the exit code.
import { InvalidArgumentError } from 'commander';
import type { Clock } from '../io/clock.js';
import type { ModelPrice } from '../llm/prices.js';
import { effortLevels } from '../planners/claude.js';

/** What a command may use of the process; only agent/cli.ts builds it (from process.*). */
export type CliContext = {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  stdout: { write: (text: string) => void };
  stderr: { isTTY: boolean; write: (text: string) => void };
  /** Calls `listener` on every SIGINT / SIGTERM. */
  onStopSignal: (listener: (signal: string) => void) => void;
  exit: (code: number) => never;
};

export type BooleanFlag = { type: 'boolean'; description: string };

/** A flag with a value: `value` names it in the usage (`--workers <n>`); `parse` converts and checks the text. */
export type ValueFlag<T = unknown> = {
  type: 'value';
  description: string;
  value: string;
  parse?: (raw: string) => T;
  choices?: readonly string[];
  default?: T;
  /** The default as the usage shows it, when the command applies it itself (e.g. the config schema's default). */
  shownDefault?: string;
  /** Refused when missing (e.g. `lab worker --queue URL`). */
  required?: boolean;
};

export type FlagDef = BooleanFlag | ValueFlag;
export type FlagDefs = Record<string, FlagDef>;
export type ArgumentDef = { name: string; description: string; required: boolean };

type Given = { default: unknown } | { required: true };
type Parsed<F> = F extends { parse: (raw: string) => infer T } ? T : string;
type FlagValue<F> = F extends BooleanFlag ? boolean : F extends Given ? Parsed<F> : Parsed<F> | undefined;

export type FlagValues<F extends FlagDefs> = { [K in keyof F]: FlagValue<F[K]> };
export type ArgumentValues<A extends readonly ArgumentDef[]> = {
  [D in A[number] as D['name']]: D['required'] extends true ? string : string | undefined;
};

export type LabCommand<F extends FlagDefs = FlagDefs, A extends readonly ArgumentDef[] = readonly ArgumentDef[]> = {
  name: string;
  /** One line for the command list of `lab --help`. */
  summary: string;
  /** Longer text for `lab <command> --help` (defaults to the summary). */
  description?: string;
  arguments?: A;
  flags: F;
  /** Example lines shown at the end of `lab <command> --help`. */
  examples?: readonly string[];
  run(input: { flags: FlagValues<F>; args: ArgumentValues<A> }, context: CliContext): number | Promise<number>;
};

/** Declares a command; the identity function is there for the types, as citty's defineCommand. */
export function defineCommand<const F extends FlagDefs, const A extends readonly ArgumentDef[] = []>(command: LabCommand<F, A>): LabCommand<F, A> {
  return command;
}

export function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return value;
}

export function positiveNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a positive number');
  return value;
}

/** A fraction in (0, 1], e.g. the share of the night one cycle may take. */
export function shareOfNight(raw: string): number {
  const value = positiveNumber(raw);
  if (value > 1) throw new InvalidArgumentError('expected a fraction of the night, 0 < share <= 1 (e.g. 0.15)');
  return value;
}

// Flags several commands share, declared once.
export const workspaceFlag = {
  type: 'value',
  value: 'dir',
  description: 'the research workspace',
  shownDefault: 'the current directory',
} as const satisfies ValueFlag;
/** The job queue (BullMQ on Redis): a run's arms x seeds go to `lab worker`s anywhere instead of local threads. */
export const queueFlags = {
  queue: { type: 'value', value: 'url', description: 'put the runs on this job queue (redis://[:password@]host:port); LAB_QUEUE_URL works too' },
  'queue-fallback': { type: 'boolean', description: 'train on local threads when no worker takes the runs' },
  'queue-idle-seconds': {
    type: 'value',
    value: 's',
    parse: positiveNumber,
    description: 'report (or fall back) after this long with no worker',
    shownDefault: '60',
  },
} as const satisfies FlagDefs;

export const workersFlag = {
  type: 'value',
  value: 'n',
  description: 'worker threads for the runs',
  parse: positiveInteger,
  shownDefault: 'one per core',
} as const satisfies ValueFlag<number>;

/** `lab cycle` and `lab loop`'s flags that shape the Claude planner: budget, request timeout, effort, price. */
export const claudeFlags = {
  'budget-usd': {
    type: 'value',
    value: 'usd',
    parse: positiveNumber,
    description: 'stop asking Claude once it has cost this much, counting the cycles committed in the last 24 h',
  },
  'request-timeout': {
    type: 'value',
    value: 's',
    parse: positiveNumber,
    description: 'give up on one Claude request after this many seconds',
    shownDefault: '180',
  },
  effort: {
    type: 'value',
    value: 'level',
    choices: effortLevels,
    description: 'how hard Claude thinks (output_config.effort)',
    shownDefault: "the model's default",
  },
  price: { type: 'value', value: 'in,out', parse: parsePrice, description: 'USD per million input, output tokens, for a model the price table does not list' },
} as const;

/** --price 0.8,4: USD per million input tokens, then output tokens. */
export function parsePrice(raw: string): ModelPrice {
  const [input, output, ...rest] = raw.split(',').map((part) => Number(part.trim()));
  if (rest.length > 0 || !Number.isFinite(input) || !Number.isFinite(output) || input! < 0 || output! < 0) {
    throw new InvalidArgumentError('expected IN,OUT in USD per million tokens, e.g. 0.8,4');
  }
  return { input_per_million: input!, output_per_million: output! };
}

/** The first SIGINT / SIGTERM stops the experiment and rolls the cycle back; a second one exits at once. */
export function abortOnStopSignal(context: CliContext, what = 'stopping the experiment and rolling the cycle back'): AbortSignal {
  const controller = new AbortController();
  context.onStopSignal((signal) => {
    if (controller.signal.aborted) {
      context.stderr.write(`lab: ${signal} again: exiting now; the next lab command rolls the cycle back\n`);
      context.exit(130);
    }
    context.stderr.write(`\nlab: ${signal}: ${what}...\n`);
    controller.abort();
  });
  return controller.signal;
}
