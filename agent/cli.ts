// The `lab` command line. The only place that reads process.argv / process.env and exits; the commands
// themselves are declared in commands/table.ts.
import { runProgram } from './commands/program.js';
import { labCommands, programText } from './commands/table.js';
import type { CliContext } from './commands/define.js';
import { systemClock } from './io/clock.js';
import { isUserError } from './user-error.js';

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

/** Exits only once stdout is flushed: a large --json answer into a pipe must not be cut off. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

runProgram(process.argv.slice(2), labCommands, programText, context).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    // A user error's message says what to fix: no stack trace. Anything else is a bug in the lab.
    const known = isUserError(error);
    process.stderr.write(`lab: ${known ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
