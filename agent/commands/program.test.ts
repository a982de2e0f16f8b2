// The command table through the real parser, in this process: typed values, defaults, usage errors for every
// command (exit 2, the flag named, that command's usage), and --help derived from the declarations.
import { describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.js';
import { defineCommand, positiveNumber, workersFlag, type CliContext, type LabCommand } from './define.js';
import { runProgram } from './program.js';
import { labCommands, programText } from './table.js';

function capturingContext(): { context: CliContext; stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    cwd: '/work/here',
    env: {},
    clock: manualClock(),
    stdout: { write: (text) => void (stdout += text) },
    stderr: { isTTY: false, write: (text) => void (stderr += text) },
    onStopSignal: () => undefined,
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
  };
  return { context, stdout: () => stdout, stderr: () => stderr };
}

async function lab(argv: string[], commands: readonly LabCommand[] = labCommands) {
  const captured = capturingContext();
  const code = await runProgram(argv, commands, programText, captured.context);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('the command table', () => {
  it('declares the commands the README documents, in its order', () => {
    expect(labCommands.map((command) => command.name)).toEqual([
      'train',
      'run',
      'reproduce',
      'reproduction',
      'init',
      'cycle',
      'loop',
      'worker',
      'report',
      'status',
    ]);
  });

  it('hands a command typed values: parsed numbers, defaults, booleans (also --no-x) and named arguments', async () => {
    const calls: unknown[] = [];
    const probe = defineCommand({
      name: 'probe',
      summary: 'records what it was given',
      arguments: [
        { name: 'spec', description: 'a spec', required: true },
        { name: 'extra', description: 'optional', required: false },
      ],
      flags: {
        workers: workersFlag,
        hours: { type: 'value', value: 'h', parse: positiveNumber, default: 24, description: 'hours' },
        json: { type: 'boolean', description: 'json' },
        'no-finding': { type: 'boolean', description: 'no finding' },
        'dry-run': { type: 'boolean', description: 'dry run' },
      },
      run: ({ flags, args }) => {
        calls.push({ flags, args });
        return 7;
      },
    });
    const commands = [probe] as readonly LabCommand[];
    expect((await lab(['probe', 'x.md', '--workers', '2', '--no-finding'], commands)).code).toBe(7);
    expect((await lab(['probe', 'x.md', 'y', '--hours', '1.5', '--json', '--dry-run'], commands)).code).toBe(7);
    expect(calls).toEqual([
      { flags: { workers: 2, hours: 24, json: false, 'no-finding': true, 'dry-run': false }, args: { spec: 'x.md', extra: undefined } },
      { flags: { workers: undefined, hours: 1.5, json: true, 'no-finding': false, 'dry-run': true }, args: { spec: 'x.md', extra: 'y' } },
    ]);
  });

  it('refuses a command without its required flag, naming it', async () => {
    const worker = defineCommand({
      name: 'worker',
      summary: 'a command with a required flag',
      flags: { queue: { type: 'value', value: 'url', required: true, description: 'the job queue' } },
      run: ({ flags }) => (flags.queue.startsWith('redis://') ? 0 : 1),
    });
    const commands = [worker] as readonly LabCommand[];
    expect((await lab(['worker', '--queue', 'redis://127.0.0.1:6379'], commands)).code).toBe(0);
    const missing = await lab(['worker'], commands);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("lab: required option '--queue <url>' not specified\n");
  });

  it.each(labCommands.map((command) => [command.name]))('refuses an unknown flag of lab %s with exit 2, naming it, then that command usage', async (name) => {
    const run = await lab([name, '--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^lab: unknown option '--frobnicate'\n/);
    expect(run.stderr).toContain(`Usage: lab ${name} `);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['loop', '--hours', '-1'], "option '--hours <h>' argument '-1' is invalid. expected a positive number"],
    [['loop', '--budget-usd', 'lots'], "option '--budget-usd <usd>' argument 'lots' is invalid. expected a positive number"],
    [['status', '--since-hours', 'soon'], "option '--since-hours <h>' argument 'soon' is invalid. expected a positive number"],
    [['train', '--optimizer', 'adam'], "option '--optimizer <name>' argument 'adam' is invalid. Allowed choices are sgd, sign-sgd, grokfast, egd."],
    [['train', '--task', 'xor'], "option '--task <name>' argument 'xor' is invalid. Allowed choices are parity, sum, and, mod-add, mod-mul."],
    [['cycle', '--planner', 'gpt'], "option '--planner <name>' argument 'gpt' is invalid. Allowed choices are builtin, claude."],
    [['run', 'x.md', '--workers', '1.5'], "option '--workers <n>' argument '1.5' is invalid. expected a whole number >= 1"],
    [['reproduce', 'exp', '--workers', '0'], "option '--workers <n>' argument '0' is invalid. expected a whole number >= 1"],
    [['train', '--track', '--track-every', '0'], "option '--track-every <k>' argument '0' is invalid. expected a whole number >= 1"],
    [['run'], "missing required argument 'spec'"],
    [['reproduce'], "missing required argument 'id'"],
    [['init', 'a', 'b'], "too many arguments for 'init'. Expected 1 argument but got 2."],
    [['status', '--workspace'], "option '--workspace <dir>' argument missing"],
  ])('refuses %j with exit 2, naming the flag, the value and what is allowed', async (args, message) => {
    const run = await lab(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`lab: ${message}\n`);
    expect(run.stderr).toContain(`Usage: lab ${args[0]} `);
  });

  it('shows the schema defaults and choices in lab train --help, and the shared flags the same way everywhere', async () => {
    // Whitespace folded: commander wraps the help to the terminal width.
    const help = async (name: string) => (await lab([name, '--help'])).stdout.replace(/\s+/g, ' ');
    const train = await help('train');
    expect(train).toContain('--n-bits <number> config key n_bits (default: 20)');
    expect(train).toContain('--task <name> config key task (default: parity) (choices: "parity", "sum", "and", "mod-add", "mod-mul")');
    expect(train).toContain('--loss <name> config key loss (choices: "hinge", "logistic", "mse", "cross-entropy")');
    expect(train).toContain('--seeds <seeds> ranges and lists, e.g. 42,44,50-52 (default: 42-46)');
    for (const name of ['run', 'reproduce', 'cycle', 'loop'])
      expect(await help(name)).toContain('--workers <n> worker threads for the runs (default: one per core)');
  });
});
