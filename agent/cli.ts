// The `lab` command line. The only place that reads process.argv / process.env and exits.
import { parseArgs } from 'node:util';
import { exitWhenParentDies } from './io/parent-watch.js';
import { runCycleCommand, runLoopCommand } from './commands/cycle.js';
import { runInitCommand } from './commands/init.js';
import { runReproduceCommand } from './commands/reproduce.js';
import { runStatusCommand } from './commands/status.js';
import { systemClock } from './io/clock.js';
import { runRunCommand } from './commands/run.js';
import { runTrainCommand } from './commands/train.js';
import { runWorkerCommand } from './commands/worker.js';
import { queueExecutor } from './io/queue-producer.js';
import { configFlagOptions, FlagError } from './commands/train-flags.js';

const usage = `lab: an autonomous research lab for sparse parity

Usage:
  lab train [flags]            train one configuration over seeds (defaults: the canonical config)
  lab run <spec.md> [--json] [--workers N] [--workspace DIR] [--queue URL [--queue-fallback]]
                               run an experiment spec: every arm x seed in parallel; writes results + finding
  lab worker --queue redis://HOST:PORT [--concurrency N] [--stall-ms MS] [--name NAME]
                               train runs from the queue for coordinators anywhere (LAB_QUEUE_URL works too)
  lab reproduce <id> [--workspace DIR]
                               re-run a finished experiment and compare its results hash and headline numbers
  lab init [dir]               a new research workspace (git repo, TODO.md, DISCOVERIES.md, experiments/, ...)
  lab cycle [--workspace DIR] [--planner builtin|claude] [--model M] [--dry-run] [--replay FILE] [--queue URL]
                               exactly one research cycle: plan, run, judge, write the finding, commit
  lab loop [--cycles N] [--hours H] [--budget-usd X] [...cycle flags]
                               cycles until a stop condition (queue exhausted, circuit breaker, Ctrl-C)
  lab status [--workspace DIR] [--since-hours 24]
                               the queue, the last cycles, the best result per objective, budget, morning digest
  lab help                     this text

Planner: claude when ANTHROPIC_API_KEY is set, otherwise the built-in rules (no network).

Run 'lab <command> --help' for a command's flags.`;

const trainUsage = `lab train [flags]
  --task parity|sum|and|mod-add|mod-mul   --n-bits 20  --k 3  --modulus 97  --train-fraction 0.5
  --hidden 200  --lr 0.1  --wd 0.01  --batch-size 32  --n-train 1000  --n-test 200  --max-epochs 200
  --loss hinge|logistic|mse|cross-entropy  --optimizer sgd|sign-sgd|grokfast|egd
  --grokfast-alpha 0.98  --grokfast-lambda 2  --order standard|fused|per-layer
  --algorithm backprop|forward-forward  --curriculum 10,20  --ff-threshold 2
  --seeds 42-46  --track (MemTracker: ARD, DMC, energy)  --json`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const print = (text: string) => process.stdout.write(text + '\n');
  switch (command) {
    case 'train': {
      const { values } = parseArgs({
        args: rest,
        options: { ...configFlagOptions(), seeds: { type: 'string' }, track: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
        strict: true,
      });
      if (values.help) return print(trainUsage), 0;
      return runTrainCommand(values, { now: () => performance.now(), print });
    }
    case 'run': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean' }, workers: { type: 'string' }, workspace: { type: 'string' }, 'no-finding': { type: 'boolean' }, ...queueFlagOptions },
        allowPositionals: true,
      });
      if (positionals.length !== 1) throw new FlagError('lab run takes one spec file, e.g. lab run experiments/exp-egd.md');
      const parentPid = Number(process.env['LAB_PARENT_PID']);
      if (parentPid > 0) exitWhenParentDies(parentPid, () => process.exit(3));
      return runRunCommand({
        specPath: positionals[0]!,
        workspace: values.workspace ?? process.cwd(),
        json: values.json ?? false,
        noFinding: values['no-finding'] ?? false,
        ...(values.workers ? { workers: positiveIntFlag('--workers', values.workers) } : {}),
        ...queueExecutorFromFlags(values),
        now: () => new Date(),
        stdout: print,
        stderr: { isTTY: Boolean(process.stderr.isTTY), write: (text) => process.stderr.write(text) },
      });
    }
    case 'reproduce': {
      const { values, positionals } = parseArgs({ args: rest, options: { workspace: { type: 'string' }, workers: { type: 'string' }, ...queueFlagOptions }, allowPositionals: true });
      if (positionals.length !== 1) throw new FlagError('lab reproduce takes one experiment id, e.g. lab reproduce exp-egd');
      return runReproduceCommand({
        id: positionals[0]!,
        workspace: values.workspace ?? process.cwd(),
        now: () => new Date(),
        print,
        ...(values.workers ? { workers: positiveIntFlag('--workers', values.workers) } : {}),
        ...queueExecutorFromFlags(values, { fresh: true }),
      });
    }
    case 'worker': {
      const { values } = parseArgs({
        args: rest,
        options: { queue: { type: 'string' }, concurrency: { type: 'string' }, 'stall-ms': { type: 'string' }, name: { type: 'string' } },
        strict: true,
      });
      const queueUrl = values.queue ?? process.env['LAB_QUEUE_URL'];
      if (!queueUrl) throw new FlagError('lab worker needs --queue redis://HOST:PORT (or LAB_QUEUE_URL)');
      return runWorkerCommand({
        queueUrl,
        signal: stopSignal('the worker'),
        log: (line) => process.stderr.write(`${line}\n`),
        ...(values.concurrency ? { concurrency: positiveIntFlag('--concurrency', values.concurrency) } : {}),
        ...(values['stall-ms'] ? { stallMs: positiveIntFlag('--stall-ms', values['stall-ms']) } : {}),
        ...(values.name ? { name: values.name } : {}),
      });
    }
    case 'init': {
      const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true });
      if (positionals.length > 1) throw new FlagError('lab init takes at most one directory, e.g. lab init my-lab');
      return runInitCommand({ directory: positionals[0] ?? '.', print });
    }
    case 'cycle':
    case 'loop': {
      const { values } = parseArgs({ args: rest, options: cycleFlagOptions, strict: true });
      const controller = new AbortController();
      const stop = (signal: string) => {
        if (controller.signal.aborted) {
          process.stderr.write(`lab: ${signal} again: exiting now; the next lab command rolls the cycle back\n`);
          process.exit(130);
        }
        process.stderr.write(`\nlab: ${signal}: stopping the experiment and rolling the cycle back...\n`);
        controller.abort();
      };
      // `on`, not `once`: execa's signal-exit re-raises a signal (killing us mid-rollback) when it finds no other listener.
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      const common = {
        workspace: values.workspace ?? process.cwd(),
        choice: {
          planner: values.planner,
          apiKey: process.env['ANTHROPIC_API_KEY'] || undefined,
          baseURL: process.env['ANTHROPIC_BASE_URL'] || undefined,
          model: values.model,
          replayPath: values.replay,
        },
        dryRun: values['dry-run'] ?? false,
        clock: systemClock,
        cancelSignal: controller.signal,
        print,
        log: (line: string) => process.stderr.write(`${line}\n`),
        ...(values.workers ? { workers: positiveIntFlag('--workers', values.workers) } : {}),
      };
      // The cycle's `lab run` child inherits the environment: the URL travels there, never on a command line.
      if (values.queue) process.env['LAB_QUEUE_URL'] = values.queue;
      if (values['queue-fallback']) process.env['LAB_QUEUE_FALLBACK'] = '1';
      if (values['queue-idle-seconds']) process.env['LAB_QUEUE_IDLE_SECONDS'] = String(positiveNumberFlag('--queue-idle-seconds', values['queue-idle-seconds']));
      if (command === 'cycle') return runCycleCommand(common);
      return runLoopCommand({
        ...common,
        ...(values.cycles ? { cycles: positiveIntFlag('--cycles', values.cycles) } : {}),
        ...(values.hours ? { hours: positiveNumberFlag('--hours', values.hours) } : {}),
        ...(values['budget-usd'] ? { budgetUsd: positiveNumberFlag('--budget-usd', values['budget-usd']) } : {}),
      });
    }
    case 'status': {
      const { values } = parseArgs({ args: rest, options: { workspace: { type: 'string' }, 'since-hours': { type: 'string' } }, strict: true });
      return runStatusCommand({
        workspace: values.workspace ?? process.cwd(),
        sinceHours: values['since-hours'] ? positiveNumberFlag('--since-hours', values['since-hours']) : 24,
        now: () => new Date(),
        print,
      });
    }
    case undefined:
    case 'help':
    case '--help':
      print(usage);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`lab: unknown command "${command}"\n\n${usage}\n`);
      return 2;
  }
}

const cycleFlagOptions = {
  workspace: { type: 'string' },
  planner: { type: 'string' },
  model: { type: 'string' },
  'dry-run': { type: 'boolean' },
  replay: { type: 'string' },
  workers: { type: 'string' },
  cycles: { type: 'string' },
  hours: { type: 'string' },
  'budget-usd': { type: 'string' },
  queue: { type: 'string' },
  'queue-fallback': { type: 'boolean' },
  'queue-idle-seconds': { type: 'string' },
} as const;

const queueFlagOptions = { queue: { type: 'string' }, 'queue-fallback': { type: 'boolean' }, 'queue-idle-seconds': { type: 'string' } } as const;

/** `--queue URL` (or LAB_QUEUE_URL): the runs go to the queue; Ctrl-C cancels the outstanding ones. */
function queueExecutorFromFlags(values: { queue?: string; 'queue-fallback'?: boolean; 'queue-idle-seconds'?: string }, extra: { fresh?: boolean } = {}) {
  const url = values.queue ?? process.env['LAB_QUEUE_URL'];
  if (!url) return {};
  const idle = values['queue-idle-seconds'] ?? process.env['LAB_QUEUE_IDLE_SECONDS'];
  return {
    executor: queueExecutor({
      url,
      log: (line) => process.stderr.write(`${line}\n`),
      signal: stopSignal('the experiment'),
      fallbackLocal: (values['queue-fallback'] ?? false) || process.env['LAB_QUEUE_FALLBACK'] === '1',
      ...(idle ? { noWorkerTimeoutMs: positiveNumberFlag('--queue-idle-seconds', idle) * 1000 } : {}),
      ...extra,
    }),
  };
}

/** Aborted on the first SIGINT / SIGTERM; a second one exits at once. */
function stopSignal(what: string): AbortSignal {
  const controller = new AbortController();
  const stop = (signal: string) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nlab: ${signal}: stopping ${what}...\n`);
    controller.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return controller.signal;
}

function positiveNumberFlag(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new FlagError(`${flag} "${raw}": expected a positive number`);
  return value;
}

function positiveIntFlag(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new FlagError(`${flag} "${raw}": expected a whole number >= 1`);
  return value;
}

/** Errors about the user's input or workspace: their message says what to fix, no stack trace needed. */
const expectedErrors = new Set([
  'FlagError', 'TrainConfigError', 'SpecError', 'WorkspaceError', 'LockError', 'HumanEditsError', 'TodoFormatError',
  'PlannerChoiceError', 'SearchSpaceError', 'CoreChangedError', 'NotAGitRepositoryError', 'JournalError', 'BudgetExceededError', 'PlanError',
  'QueueUrlError', 'AbortError',
]);

/** Exits only once stdout is flushed: a large --json answer into a pipe must not be cut off. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    const known = expectedErrors.has((error as Error).name) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`lab: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
