/** The shape of a CLI command: its options for node's parseArgs, its help, and a run that parses and prints. */
import type { ParseArgsConfig } from 'node:util';
import type { Output } from '../cli/output.js';

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
  /** Returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
}
