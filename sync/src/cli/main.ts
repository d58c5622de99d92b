/** The `coop` entry point: parses the command line, runs one command, maps the outcome to an exit code. */
import { parseArgs } from 'node:util';
// Only the error module: importing core/index.js here would load zod and the whole core for `coop --help`.
import { CoopError, isCoopError } from '../../../core/errors.js';
import { COMMANDS } from '../commands/index.js';
import { uncaughtFsError } from '../io/fs-errors.js';
import { InputError } from '../io/input-error.js';
import type { Command } from '../commands/command.js';
import { loadConfig, registryLocation } from '../config.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { consoleOutput, padEnd, type Output } from '../views/output.js';
import { CLI_TEXT as T } from './text.js';

declare const COOP_VERSION: string;

function printHelp(output: Output): void {
  output.out(T.intro);
  output.out(T.usageHeader);
  output.out();
  output.out(T.commandsHeader);
  for (const [name, entry] of Object.entries(COMMANDS)) output.out(`  ${padEnd(name, 12)}${entry.summary}`);
  output.out();
  for (const line of T.commonOptions) output.out(line);
  output.out();
  output.out(T.helpHint);
}

function printCommandHelp(output: Output, command: Command): void {
  output.out(`用法：${command.usage}`);
  output.out();
  output.out(command.description);
  if (command.optionHelp.length) {
    output.out();
    output.out('选项：');
    for (const line of command.optionHelp) output.out(line);
  }
  output.out();
  for (const line of T.commonOptions.slice(1)) output.out(line);
}

/** The moment the command runs at; COOP_NOW (an ISO instant) pins it for tests and reproducible demos. */
function currentTime(): Date {
  const pinned = process.env.COOP_NOW;
  if (!pinned) return new Date();
  const instant = new Date(pinned);
  // A garbage clock would stamp NaN into the append-only log: refuse before anything is read or written.
  if (!/^\d{4}-\d{2}-\d{2}/.test(pinned) || Number.isNaN(instant.getTime())) throw new CoopError('USAGE', T.badNow(pinned));
  return instant;
}

export async function main(argv: string[], output: Output = consoleOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    printHelp(output);
    return EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    output.out(typeof COOP_VERSION === 'string' ? COOP_VERSION : 'dev');
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    output.err(T.unknownCommand(name));
    return EXIT.usage;
  }
  let command: Command | undefined;
  try {
    ({ command } = await entry.load());
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...command.options, registry: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: command.allowPositionals ?? false,
        strict: true,
      });
    } catch (error) {
      output.err(T.badOption((error as Error).message));
      output.err(`用法：${command.usage}`);
      return EXIT.usage;
    }
    if (parsed.values.help) {
      printCommandHelp(output, command);
      return EXIT.ok;
    }
    const config = loadConfig();
    const values = { ...parsed.values, registry: registryLocation(parsed.values.registry, config) };
    return exitCodeFor(await command.run({ values, positionals: parsed.positionals, output, now: currentTime() }));
  } catch (thrown) {
    // An OS error that no operation translated still gets a message naming the path, never raw errno text.
    const error = uncaughtFsError(thrown) ?? thrown;
    if (isCoopError(error)) {
      const flag = error instanceof InputError ? command?.flags?.[error.input] : undefined;
      output.err(flag && error instanceof InputError ? error.withFlag(flag) : error.message);
      for (const line of error.details) output.err(`  ${line}`);
      return exitCodeFor(error);
    }
    output.err(T.unexpectedError((error as Error)?.message ?? String(error)));
    if (process.env.COOP_DEBUG) output.err((error as Error)?.stack ?? '');
    return EXIT.usage;
  }
}
