/**
 * An error about one input a person gave an op — a filter, an output path, who acts. The op words it in the domain's
 * terms; the command, which knows the flag that carried the input, has it worded again with that flag.
 */
import { CoopError, type ErrorCode } from '../../../core/errors.js';

/** The inputs ops name in their errors. */
export type InputName = 'year' | 'status' | 'actor' | 'out' | 'rejects' | 'meeting' | 'historical' | 'rotate' | 'selection' | 'folder' | 'dir';

export class InputError extends CoopError {
  constructor(
    code: ErrorCode,
    readonly input: InputName,
    /** The message; given the flag, it names the flag instead of the domain's word for the input. */
    private readonly wording: (flag?: string) => string,
    details: readonly string[] = [],
  ) {
    super(code, wording(), details);
  }

  withFlag(flag: string): string {
    return this.wording(flag);
  }
}
