// The `lab` command line. The only place that reads process.argv / process.env and exits; the commands
// themselves are declared in commands/table.ts.
import type { CliContext } from './commands/define.js';
import { exitWhenParentDies } from './io/parent-watch.js';

// A `lab run` started by a cycle watches its parent before loading the rest (seconds on a loaded machine),
// so after a kill -9 of the cycle the orphan exits at once instead of writing into a rolled-back workspace.
const parentPid = Number(process.env['LAB_PARENT_PID']);
if (parentPid > 0) exitWhenParentDies(parentPid, () => process.exit(3));

async function main(argv: string[]): Promise<number> {
  const [{ runProgram }, { labCommands, programText }, { systemClock }] = await Promise.all([
    import('./commands/program.js'),
    import('./commands/table.js'),
    import('./io/clock.js'),
  ]);
  const context: CliContext = {
    cwd: process.cwd(),
    env: process.env,
    clock: systemClock,
    stdout: process.stdout,
    stderr: { isTTY: Boolean(process.stderr.isTTY), write: (text) => process.stderr.write(text) },
    // `on`, not `once`: execa's signal-exit re-raises a signal (killing us mid-rollback) when it finds no other listener.
    onStopSignal: (listener) => {
      process.on('SIGINT', () => listener('SIGINT'));
      process.on('SIGTERM', () => listener('SIGTERM'));
    },
    exit: (code) => process.exit(code),
  };
  return runProgram(argv, labCommands, programText, context);
}

/** Exits only once stdout is flushed: a large --json answer into a pipe must not be cut off. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  async (error: unknown) => {
    // A user error's message says what to fix: no stack trace. Anything else is a bug in the lab.
    const { isUserError } = await import('./user-error.js');
    // Ctrl-C while runs wait on the job queue: the queue's runs were cancelled, nothing was written.
    if (error instanceof Error && error.name === 'AbortError') {
      process.stderr.write('lab: interrupted: the outstanding runs were cancelled\n');
      process.exit(130);
    }
    const known = isUserError(error);
    process.stderr.write(`lab: ${known ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
