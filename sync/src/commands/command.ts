/** The shape of a CLI command: its options for node's parseArgs, its help, and a run that parses and prints. */
import type { ParseArgsConfig } from 'node:util';
import type { InputName } from '../io/input-error.js';
import type { Output } from '../views/output.js';

/** How a command ended; `cli/exit-codes.ts` alone turns it into the process's exit status. */
export type Outcome = 'ok' | 'problems' | 'usage';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Parsed option values (after the defaults of coop.config.json). */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  output: Output;
  /** Now, injectable for tests through COOP_NOW. */
  now: Date;
}

export interface Command {
  usage: string;
  description: string;
  options: OptionSpec;
  /** Option help lines, in Chinese. */
  optionHelp: readonly string[];
  allowPositionals?: boolean;
  /** The flag that carries each input its ops may refuse: their errors are worded with it (ops speak domain, commands flags). */
  flags?: Partial<Record<InputName, string>>;
  /** Returns how it ended: `problems` when it found or left something the person must see to. */
  run(ctx: CommandContext): Promise<Outcome>;
}
