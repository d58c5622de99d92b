/** The one place where outcomes become process exit codes: 0 ok, 1 problems found, 2 bad usage or unreadable input. */
import type { ErrorCode } from '../../../core/errors.js';
import type { Outcome } from '../commands/command.js';

export const EXIT: Readonly<Record<Outcome, number>> = { ok: 0, problems: 1, usage: 2 };

const BY_CODE: Record<ErrorCode, Outcome> = {
  USAGE: 'usage',
  INPUT_UNREADABLE: 'usage',
  REGISTRY_MISSING: 'usage',
  REGISTRY_EXISTS: 'usage',
  REGISTRY_LOCKED: 'usage',
  REGISTRY_LAYOUT: 'usage',
  NOT_FOUND: 'usage',
  GOOGLE: 'usage',
  IO_FAILED: 'usage',
  INTERNAL: 'usage',
  VALIDATION: 'problems',
  WORKFLOW_REFUSED: 'problems',
  TEMPLATE: 'problems',
};

export function exitCodeFor(outcome: Outcome | { code: ErrorCode }): number {
  return EXIT[typeof outcome === 'string' ? outcome : BY_CODE[outcome.code]];
}
