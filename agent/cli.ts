// The `lab` command line. The only place that reads process.argv / process.env and exits.
import { parseArgs } from 'node:util';
import { exitWhenParentDies } from './io/parent-watch.js';
import { runReproduceCommand } from './commands/reproduce.js';
import { runRunCommand } from './commands/run.js';
import { runTrainCommand } from './commands/train.js';
import { configFlagOptions, FlagError } from './commands/train-flags.js';
import { SpecError, TrainConfigError } from '../core/index.js';

const usage = `lab: an autonomous research lab for sparse parity

Usage:
  lab train [flags]            train one configuration over seeds (defaults: the canonical config)
  lab run <spec.md> [--json] [--workers N] [--workspace DIR]
                               run an experiment spec: every arm x seed in parallel; writes results + finding
  lab reproduce <id> [--workspace DIR]
                               re-run a finished experiment and compare its results hash and headline numbers
  lab help                     this text

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
        options: { json: { type: 'boolean' }, workers: { type: 'string' }, workspace: { type: 'string' }, 'no-finding': { type: 'boolean' } },
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
        now: () => new Date(),
        stdout: print,
        stderr: { isTTY: Boolean(process.stderr.isTTY), write: (text) => process.stderr.write(text) },
      });
    }
    case 'reproduce': {
      const { values, positionals } = parseArgs({ args: rest, options: { workspace: { type: 'string' }, workers: { type: 'string' } }, allowPositionals: true });
      if (positionals.length !== 1) throw new FlagError('lab reproduce takes one experiment id, e.g. lab reproduce exp-egd');
      return runReproduceCommand({
        id: positionals[0]!,
        workspace: values.workspace ?? process.cwd(),
        now: () => new Date(),
        print,
        ...(values.workers ? { workers: positiveIntFlag('--workers', values.workers) } : {}),
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

function positiveIntFlag(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new FlagError(`${flag} "${raw}": expected a whole number >= 1`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof FlagError || error instanceof TrainConfigError || error instanceof SpecError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`lab: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
