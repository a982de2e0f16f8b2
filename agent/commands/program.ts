// Turns the command table into a commander program and runs it: parsing, usage, --help for every command,
// unknown flags and bad values refused (exit 2, naming the flag, then the command's usage).
import { Command, CommanderError, Option } from 'commander';
import type { CliContext, FlagDef, LabCommand } from './define.js';

export type ProgramOptions = { name: string; description: string; notes: string };

/** Parses `argv` (without node and the script), runs the named command and returns its exit code. */
export async function runProgram(argv: string[], commands: readonly LabCommand[], options: ProgramOptions, context: CliContext): Promise<number> {
  let exitCode = 0;
  const program = new Command(options.name)
    .description(options.description)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      outputError: (text, write) => write(`${options.name}: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError()
    .showSuggestionAfterError()
    .helpCommand('help [command]', "show a command's usage")
    .addHelpText('after', `\n${options.notes}`);
  for (const declaration of commands) {
    const command = addCommand(program, declaration);
    command.action(async () => {
      exitCode = await declaration.run(readValues(declaration, command) as never, context);
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and `help` exit 0; `lab` alone prints the usage and exits 1; a usage error exits 2.
    return error.code.startsWith('commander.help') || error.code === 'commander.version' ? error.exitCode : 2;
  }
  return exitCode;
}

function addCommand(program: Command, declaration: LabCommand): Command {
  const command = program
    .command(declaration.name)
    .summary(declaration.summary)
    .description(declaration.description ?? declaration.summary);
  for (const argument of declaration.arguments ?? []) command.argument(argument.required ? `<${argument.name}>` : `[${argument.name}]`, argument.description);
  for (const [name, flag] of Object.entries(declaration.flags)) command.addOption(toOption(name, flag));
  if (declaration.examples?.length) command.addHelpText('after', `\nExamples:\n${declaration.examples.map((line) => `  ${line}`).join('\n')}`);
  return command;
}

function toOption(name: string, flag: FlagDef): Option {
  if (flag.type === 'boolean') return new Option(`--${name}`, flag.description);
  const shown = flag.shownDefault === undefined ? '' : ` (default: ${flag.shownDefault})`;
  const option = new Option(`--${name} <${flag.value}>`, `${flag.description}${shown}`);
  if (flag.choices) option.choices(flag.choices);
  if (flag.parse) option.argParser(flag.parse);
  if (flag.default !== undefined) option.default(flag.default);
  if (flag.required) option.makeOptionMandatory();
  return option;
}

/** Values keyed by the declared flag names (commander keys them camelCase; `--no-x` is stored as x = false). */
function readValues(declaration: LabCommand, command: Command): { flags: Record<string, unknown>; args: Record<string, unknown> } {
  const opts = command.opts();
  const flags = Object.fromEntries(
    Object.entries(declaration.flags).map(([name, flag]) => {
      const key = new Option(`--${name}`).attributeName();
      if (flag.type === 'value') return [name, opts[key]];
      return [name, name.startsWith('no-') ? opts[key] === false : opts[key] === true];
    }),
  );
  const args = Object.fromEntries((declaration.arguments ?? []).map((argument, index) => [argument.name, command.processedArgs[index]]));
  return { flags, args };
}
