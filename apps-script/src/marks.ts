/**
 * What the system writes into cell notes — validation problems and review stamps — kept apart from
 * whatever a person wrote in the same note, so marking and clearing never loses their text.
 */
import { NOTE_MARKS } from '../../core/index.js';

export type MarkKind = keyof typeof NOTE_MARKS;

const PREFIX: Record<MarkKind, string> = NOTE_MARKS;

/** Cells marked invalid get this background; fixing the cell clears it. */
export const INVALID_BACKGROUND = '#f4cccc';

export function hasMark(note: string, kind: MarkKind): boolean {
  return note.split('\n').some((line) => line.startsWith(PREFIX[kind]));
}

/** The note with this kind of mark replaced by `lines` (none: removed), other text untouched. */
export function withMark(note: string, kind: MarkKind, lines: readonly string[]): string {
  const kept = note.split('\n').filter((line) => line !== '' && !line.startsWith(PREFIX[kind]));
  return [...lines.map((l) => PREFIX[kind] + l), ...kept].join('\n');
}
