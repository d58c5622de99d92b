/**
 * The writes one handler owes a sheet, gathered while it works and applied at the end in as few batch
 * calls as the changed area allows: values, notes and backgrounds each in one rectangle.
 */
import type { CellValue } from '../../core/index.js';
import { hasMark, INVALID_BACKGROUND, withMark } from './marks.js';
import { setCell, type Table } from './table.js';

type Range = GoogleAppsScript.Spreadsheet.Range;

export interface Bounds {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

interface NoteChange {
  r: number;
  c: number;
  next: (old: string) => string;
  /** False when the cell's note belongs to the system alone (review stamps), so it need not be read first. */
  needsOld: boolean;
}

function box(cells: readonly { r: number; c: number }[]): Bounds {
  return {
    r1: Math.min(...cells.map((x) => x.r)),
    c1: Math.min(...cells.map((x) => x.c)),
    r2: Math.max(...cells.map((x) => x.r)),
    c2: Math.max(...cells.map((x) => x.c)),
  };
}

const inside = (b: Bounds, r: number, c: number) => r >= b.r1 && r <= b.r2 && c >= b.c1 && c <= b.c2;

export class SheetPlan {
  private readonly values = new Map<string, { r: number; c: number }>();
  private readonly notes: NoteChange[] = [];
  private blockNotes: string[][] | null = null;

  /** `edited` is the range the user changed (1-based bounds), whose Range object we already hold. */
  constructor(
    readonly table: Table,
    readonly edited: Range,
    readonly bounds: Bounds,
  ) {}

  get singleCell(): boolean {
    return this.bounds.r1 === this.bounds.r2 && this.bounds.c1 === this.bounds.c2;
  }

  /** Sets a schema cell (0-based row index into the table) and remembers it for the batch write. */
  set(row0: number, key: string, value: CellValue): void {
    if (setCell(this.table, row0, key, value)) this.touch(row0 + 1, this.table.keyIndex.get(key)! + 1);
  }

  /** Puts a raw value back (an undone tick, a reverted edit). */
  restore(r: number, c: number, raw: unknown): void {
    this.table.values[r - 1]![c - 1] = raw;
    this.touch(r, c);
  }

  private touch(r: number, c: number): void {
    this.values.set(`${r},${c}`, { r, c });
  }

  /** The note of a cell inside the edited range, read once for the whole range. */
  noteInEdit(r: number, c: number): string {
    if (!this.blockNotes) this.blockNotes = this.singleCell ? [[this.edited.getNote()]] : this.edited.getNotes();
    return this.blockNotes[r - this.bounds.r1]?.[c - this.bounds.c1] ?? '';
  }

  note(r: number, c: number, next: (old: string) => string, needsOld = true): void {
    this.notes.push({ r, c, next, needsOld });
  }

  /** Marks or clears a validation problem in a cell of the edited range: note and background together. */
  mark(r: number, c: number, lines: readonly string[], colours: Map<string, string | null>): void {
    const old = this.noteInEdit(r, c);
    const next = withMark(old, 'invalid', lines);
    if (next !== old) this.note(r, c, () => next);
    const was = hasMark(old, 'invalid');
    if (was !== lines.length > 0) colours.set(`${r},${c}`, lines.length ? INVALID_BACKGROUND : null);
  }

  commit(colours: Map<string, string | null>): void {
    this.commitValues();
    this.commitNotes();
    this.commitColours(colours);
  }

  private commitValues(): void {
    const cells = [...this.values.values()];
    if (!cells.length) return;
    const b = box(cells);
    const grid = this.table.values.slice(b.r1 - 1, b.r2).map((row) => row.slice(b.c1 - 1, b.c2));
    if (b.r1 === b.r2 && b.c1 === b.c2 && this.singleCell && b.r1 === this.bounds.r1 && b.c1 === this.bounds.c1) {
      this.edited.setValue(grid[0]![0]);
      return;
    }
    this.table.sheet.getRange(b.r1, b.c1, b.r2 - b.r1 + 1, b.c2 - b.c1 + 1).setValues(grid);
  }

  private commitNotes(): void {
    if (!this.notes.length) return;
    const b = box(this.notes);
    const onlyEdited = this.singleCell && b.r1 === this.bounds.r1 && b.c1 === this.bounds.c1 && b.r2 === b.r1 && b.c2 === b.c1;
    if (onlyEdited) {
      const needsOld = this.notes.some((n) => n.needsOld);
      let note = needsOld ? this.noteInEdit(b.r1, b.c1) : '';
      for (const n of this.notes) note = n.next(note);
      this.edited.setNote(note);
      return;
    }
    if (inside(this.bounds, b.r1, b.c1) && inside(this.bounds, b.r2, b.c2)) {
      this.noteInEdit(this.bounds.r1, this.bounds.c1);
      const grid = this.blockNotes!.map((row) => [...row]);
      for (const n of this.notes) grid[n.r - this.bounds.r1]![n.c - this.bounds.c1] = n.next(grid[n.r - this.bounds.r1]![n.c - this.bounds.c1] ?? '');
      this.edited.setNotes(grid);
      return;
    }
    const range = this.table.sheet.getRange(b.r1, b.c1, b.r2 - b.r1 + 1, b.c2 - b.c1 + 1);
    const grid = range.getNotes();
    for (const n of this.notes) grid[n.r - b.r1]![n.c - b.c1] = n.next(grid[n.r - b.r1]![n.c - b.c1] ?? '');
    range.setNotes(grid);
  }

  private commitColours(colours: Map<string, string | null>): void {
    if (!colours.size) return;
    const cells = [...colours.keys()].map((k) => {
      const [r, c] = k.split(',').map(Number) as [number, number];
      return { r, c };
    });
    const b = box(cells);
    if (b.r1 === b.r2 && b.c1 === b.c2 && this.singleCell) {
      this.edited.setBackground(colours.values().next().value ?? null);
      return;
    }
    const range = this.table.sheet.getRange(b.r1, b.c1, b.r2 - b.r1 + 1, b.c2 - b.c1 + 1);
    const grid = range.getBackgrounds() as (string | null)[][];
    for (const [k, colour] of colours) {
      const [r, c] = k.split(',').map(Number) as [number, number];
      grid[r - b.r1]![c - b.c1] = colour;
    }
    range.setBackgrounds(grid as string[][]);
  }
}
