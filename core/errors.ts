/** Typed errors: a stable code for programs, a Chinese message for people. */

export type ErrorCode =
  | 'USAGE' // bad command line
  | 'INPUT_UNREADABLE' // a file that is not a workbook we can read
  | 'REGISTRY_MISSING'
  | 'REGISTRY_EXISTS'
  | 'REGISTRY_LOCKED'
  | 'REGISTRY_LAYOUT' // a sheet or a required header is missing
  | 'VALIDATION' // rows break rules
  | 'WORKFLOW_REFUSED' // a transition the state machine does not allow
  | 'NOT_FOUND'
  | 'TEMPLATE'
  | 'GOOGLE'
  | 'IO_FAILED' // the operating system refused a read or write (disk full, read-only, no permission…)
  | 'INTERNAL';

export class CoopError extends Error {
  override readonly name = 'CoopError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export function isCoopError(error: unknown): error is CoopError {
  return error instanceof CoopError || (error instanceof Error && error.name === 'CoopError' && 'code' in error);
}
