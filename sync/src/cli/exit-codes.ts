/** The one place where outcomes become process exit codes: 0 ok, 1 problems found, 2 bad usage or unreadable input. */
import type { ErrorCode } from '../../../core/index.js';

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

const BY_CODE: Record<ErrorCode, number> = {
  USAGE: EXIT.usage,
  INPUT_UNREADABLE: EXIT.usage,
  REGISTRY_MISSING: EXIT.usage,
  REGISTRY_EXISTS: EXIT.usage,
  REGISTRY_LOCKED: EXIT.usage,
  REGISTRY_LAYOUT: EXIT.usage,
  NOT_FOUND: EXIT.usage,
  GOOGLE: EXIT.usage,
  IO_FAILED: EXIT.usage,
  INTERNAL: EXIT.usage,
  VALIDATION: EXIT.problems,
  WORKFLOW_REFUSED: EXIT.problems,
  TEMPLATE: EXIT.problems,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code];
}
