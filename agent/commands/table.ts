// Every `lab` command, declared once: name, arguments, flags (type, default, description) and what it runs.
// To add a command, add one defineCommand(...) to `labCommands`; parsing, usage and --help follow from it.
import { runCycleCommand, runLoopCommand } from './cycle.js';
import {
  defineCommand,
  positiveInteger,
  positiveNumber,
  shareOfNight,
  queueFlags,
  workersFlag,
  workspaceFlag,
  abortOnStopSignal,
  claudeFlags,
  type CliContext,
  type FlagDefs,
  type FlagValues,
  type LabCommand,
} from './define.js';
import { queueChildEnv, queueExecutorFrom } from './queue-options.js';
import { runWorkerCommand } from './worker.js';
import { UserError } from '../user-error.js';
import { runInitCommand } from './init.js';
import { runReproduceCommand } from './reproduce.js';
import { runReproductionCommand } from './reproduction.js';
import { writeReport } from './report.js';
import { runRunCommand } from './run.js';
import { runStatusCommand } from './status.js';
import { runTrainCommand } from './train.js';
import { configFlags, seedsFlag } from './train-flags.js';
import type { Effort } from '../planners/claude.js';

export const programText = {
  name: 'lab',
  description: 'An autonomous research lab for sparse parity and energy-efficient training.',
  notes: `Planner: claude when ANTHROPIC_API_KEY is set, otherwise the built-in rules (no network).\nRun 'lab <command> --help' for a command's flags.`,
};

const print = (context: CliContext) => (text: string) => context.stdout.write(`${text}\n`);
const workspaceOf = (context: CliContext, flag: string | undefined) => flag ?? context.cwd;

const cycleFlags = {
  workspace: workspaceFlag,
  planner: {
    type: 'value',
    value: 'name',
    choices: ['builtin', 'claude'],
    description: 'who plans',
    shownDefault: 'claude when ANTHROPIC_API_KEY is set, else builtin',
  },
  model: { type: 'value', value: 'model', description: 'the Claude model' },
  replay: { type: 'value', value: 'file', description: 'replay a recorded Claude cycle offline (results/<id>/llm-transcript.json)' },
  ...claudeFlags,
  workers: workersFlag,
  'cycle-share': {
    type: 'value',
    value: 'fraction',
    parse: shareOfNight,
    description: 'one cycle takes at most this share of the night (--hours, else 8 h): probed, then shrunk or split to fit',
    shownDefault: '0.15',
  },
  ...queueFlags,
} as const satisfies FlagDefs;

/** Every command, in the order `lab --help` lists them: one defineCommand each. */
export const labCommands: readonly LabCommand[] = [
  defineCommand({
    name: 'train',
    summary: 'train one configuration over seeds (defaults: the canonical config)',
    description:
      'Train one configuration over seeds, in this process; a table, or JSON with --json.\nEvery config key is a flag (kebab-case); defaults are the canonical configuration of the seeds.',
    flags: {
      ...configFlags(),
      seeds: seedsFlag,
      track: { type: 'boolean', description: 'track memory traffic: ARD / DMC (clock model), DMD, cache hits and energy (LRU stack), per buffer' },
      'track-every': {
        type: 'value',
        value: 'k',
        parse: positiveInteger,
        description: 'with --track: the LRU stack measures one step in k and extrapolates (for big configs)',
        shownDefault: '1 (every step)',
      },
      json: { type: 'boolean', description: 'print one JSON object instead of the table' },
    },
    examples: [
      'lab train --batch-size 1 --seeds 42',
      'lab train --optimizer egd --json',
      'lab train --order per-layer --track',
      'lab train --hidden 1000 --batch-size 1 --track --track-every 16',
      'lab train --curriculum 10,20 --n-bits 20',
    ],
    run: ({ flags }, context) => {
      const { 'track-every': trackEvery, ...config } = flags;
      return runTrainCommand(config, { now: context.clock.now, print: print(context), ...(trackEvery ? { trackEvery } : {}) });
    },
  }),
  defineCommand({
    name: 'run',
    summary: 'run an experiment spec: every arm x seed in parallel; writes results + finding',
    arguments: [{ name: 'spec', description: 'the spec file, e.g. experiments/<id>.md', required: true }],
    flags: {
      json: { type: 'boolean', description: 'print the results object instead of the summary' },
      workers: workersFlag,
      workspace: workspaceFlag,
      'no-finding': { type: 'boolean', description: 'write the results only (lab cycle writes the finding itself)' },
      fresh: { type: 'boolean', description: 'train every run, even one the workspace already recorded (identical config, seed, limits, core)' },
      ...queueFlags,
    },
    run: ({ flags, args }, context) =>
      runRunCommand({
        specPath: args.spec,
        workspace: workspaceOf(context, flags.workspace),
        json: flags.json,
        noFinding: flags['no-finding'],
        fresh: flags.fresh,
        ...(flags.workers ? { workers: flags.workers } : {}),
        ...queueExecutorFrom(flags, context),
        now: context.clock.date,
        stdout: print(context),
        stderr: context.stderr,
      }),
  }),
  defineCommand({
    name: 'reproduce',
    summary: 're-run a finished experiment and compare its results hash and headline numbers',
    arguments: [{ name: 'id', description: 'the experiment id (results/<id>/results.json)', required: true }],
    flags: { workspace: workspaceFlag, workers: workersFlag, ...queueFlags },
    run: ({ flags, args }, context) =>
      runReproduceCommand({
        id: args.id,
        workspace: workspaceOf(context, flags.workspace),
        now: context.clock.date,
        print: print(context),
        ...(flags.workers ? { workers: flags.workers } : {}),
        ...queueExecutorFrom(flags, context, { fresh: true }),
      }),
  }),
  defineCommand({
    name: 'reproduction',
    summary: "regenerate the reproduction table of findings/README.md (the seeds' figures beside ours) from the results",
    description:
      "Regenerate the reproduction table of findings/README.md from findings/reproduction.yaml (the published figures, and what of ours\neach row shows) and results/<id>/results.json; the text around the table's markers is kept. lab cycle does it after every cycle.",
    flags: { workspace: workspaceFlag, check: { type: 'boolean', description: 'write nothing; exit 1 when the table is stale' } },
    examples: ['lab reproduction', 'lab reproduction --check', 'lab reproduction --workspace ../my-lab'],
    run: ({ flags }, context) =>
      runReproductionCommand({
        workspace: workspaceOf(context, flags.workspace),
        check: flags.check,
        print: print(context),
        log: (line) => context.stderr.write(`${line}\n`),
      }),
  }),
  defineCommand({
    name: 'init',
    summary: 'a new research workspace (git repo, TODO.md, DISCOVERIES.md, experiments/, ...)',
    arguments: [{ name: 'dir', description: 'where to create it (default: the current directory)', required: false }],
    flags: {},
    run: ({ args }, context) => runInitCommand({ directory: args.dir ?? '.', print: print(context) }),
  }),
  defineCommand({
    name: 'cycle',
    summary: 'exactly one research cycle: plan, run, judge, write the finding, commit',
    flags: { ...cycleFlags, 'dry-run': { type: 'boolean', description: 'plan and show the spec; run and write nothing' } },
    run: ({ flags }, context) => runCycleCommand({ ...cycleOptions(flags, context), dryRun: flags['dry-run'] }),
  }),
  defineCommand({
    name: 'loop',
    summary: 'cycles until a stop condition (queue exhausted, circuit breaker, Ctrl-C)',
    flags: {
      ...cycleFlags,
      cycles: { type: 'value', value: 'n', parse: positiveInteger, description: 'stop after this many cycles' },
      hours: { type: 'value', value: 'h', parse: positiveNumber, description: 'stop after this many hours (an API outage is waited out until then)' },
    },
    examples: ['lab loop --cycles 20 --hours 8', 'ANTHROPIC_API_KEY=... lab loop --hours 8 --budget-usd 5'],
    run: ({ flags }, context) =>
      runLoopCommand({
        ...cycleOptions(flags, context),
        dryRun: false,
        ...(flags.cycles ? { cycles: flags.cycles } : {}),
        ...(flags.hours ? { hours: flags.hours } : {}),
      }),
  }),
  defineCommand({
    name: 'worker',
    summary: 'train runs from a job queue for coordinators anywhere (lab run / cycle / loop --queue)',
    flags: {
      queue: { type: 'value', value: 'url', description: 'the job queue, redis://[:password@]host:port', shownDefault: 'LAB_QUEUE_URL' },
      concurrency: { type: 'value', value: 'n', parse: positiveInteger, description: 'runs trained at once (worker threads)', shownDefault: '1' },
      'stall-ms': {
        type: 'value',
        value: 'ms',
        parse: positiveInteger,
        description: "a killed worker's run is taken by another after about this long",
        shownDefault: '30000',
      },
      name: { type: 'value', value: 'name', description: 'how coordinators see this worker', shownDefault: 'host:pid' },
    },
    examples: ['lab worker --queue redis://127.0.0.1:6379 --concurrency 2', 'LAB_QUEUE_URL=redis://:secret@10.0.0.5:6379 lab worker'],
    run: ({ flags }, context) => {
      const queueUrl = flags.queue ?? context.env['LAB_QUEUE_URL'];
      if (!queueUrl) throw new UserError('lab worker needs --queue redis://HOST:PORT (or LAB_QUEUE_URL)');
      return runWorkerCommand({
        queueUrl,
        signal: abortOnStopSignal(context, 'stopping the worker (its current runs go back to the queue)'),
        log: (line) => context.stderr.write(`${line}\n`),
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(flags['stall-ms'] ? { stallMs: flags['stall-ms'] } : {}),
        ...(flags.name ? { name: flags.name } : {}),
      });
    },
  }),
  defineCommand({
    name: 'report',
    summary: 'the morning review page: one self-contained HTML file of the night (no network)',
    flags: {
      workspace: workspaceFlag,
      since: { type: 'value', value: 'age', default: '24h', description: 'what the page covers: 24h, 90m, 7d, a date, or all' },
      out: { type: 'value', value: 'file', description: 'where to write the page', shownDefault: '<workspace>/.lab/report.html' },
      screenshot: { type: 'value', value: 'png', description: 'also save a screenshot of the page (headless Chromium)' },
    },
    examples: ['lab report', 'lab report --since all --out night.html', 'lab report --screenshot docs/morning-report.png'],
    run: async ({ flags }, context) => {
      const result = await writeReport({
        workspace: workspaceOf(context, flags.workspace),
        since: flags.since,
        now: context.clock.date,
        ...(flags.out ? { out: flags.out } : {}),
        ...(flags.screenshot ? { screenshot: flags.screenshot } : {}),
      });
      print(context)(`wrote ${result.path} (${result.data.experiments.length} experiments, ${Math.round(result.bytes / 1024)} kB)`);
      return 0;
    },
  }),
  defineCommand({
    name: 'status',
    summary: 'the queue, the last cycles, the best result per objective, budget, morning digest',
    flags: {
      workspace: workspaceFlag,
      'since-hours': { type: 'value', value: 'h', parse: positiveNumber, default: 24, description: 'the morning digest covers this many hours' },
    },
    run: ({ flags }, context) =>
      runStatusCommand({ workspace: workspaceOf(context, flags.workspace), sinceHours: flags['since-hours'], now: context.clock.date, print: print(context) }),
  }),
];

function cycleOptions(flags: FlagValues<typeof cycleFlags>, context: CliContext) {
  const childEnv = queueChildEnv(flags, context);
  return {
    workspace: workspaceOf(context, flags.workspace),
    choice: {
      planner: flags.planner,
      apiKey: context.env['ANTHROPIC_API_KEY'] || undefined,
      baseURL: context.env['ANTHROPIC_BASE_URL'] || undefined,
      model: flags.model,
      replayPath: flags.replay,
      requestTimeoutSeconds: flags['request-timeout'],
      effort: flags.effort as Effort | undefined,
      price: flags.price,
    },
    ...(flags['budget-usd'] !== undefined ? { budgetUsd: flags['budget-usd'] } : {}),
    clock: context.clock,
    cancelSignal: abortOnStopSignal(context),
    print: print(context),
    log: (line: string) => context.stderr.write(`${line}\n`),
    ...(flags.workers ? { workers: flags.workers } : {}),
    ...(childEnv ? { childEnv } : {}),
    ...(flags['cycle-share'] ? { cycleShare: flags['cycle-share'] } : {}),
  };
}
