/** exceljs's streaming workbook writer, made to carry what its whole-model writer writes for a printed workbook. */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
// @ts-expect-error exceljs ships no typings for its xforms; this is the one its whole-model writer renders app.xml with.
import AppXform from 'exceljs/lib/xlsx/xform/core/app-xform.js';

/** Workbook properties the archive sets (core.xml and app.xml). */
export interface BookProperties {
  creator: string;
  lastModifiedBy: string;
  company: string;
  title: string;
  subject: string;
  keywords: string;
  description: string;
  created: Date;
  modified: Date;
}

export interface SheetOptions {
  views?: Partial<ExcelJS.WorksheetView>[];
  pageSetup?: Partial<ExcelJS.PageSetup>;
  state?: ExcelJS.WorksheetState;
}

/** The parts of exceljs's WorksheetWriter its typings leave out. */
interface WriterInternals {
  _merges: unknown[];
  _writePageMargins(): void;
  stream: { write(text: string): void };
  pageSetup: Partial<ExcelJS.PageSetup>;
}

interface BookInternals {
  _worksheets: unknown[];
  zip: { append(text: string, options: { name: string }): void };
  addApp(): Promise<void>;
}

export interface StreamBook {
  writer: ExcelJS.stream.xlsx.WorkbookWriter;
  addSheet(name: string, options: SheetOptions): ExcelJS.Worksheet;
  /** Commits every sheet and returns the file's bytes. */
  finish(): Promise<Uint8Array>;
}

/**
 * Rows go into the zip as they are committed; the zip is gathered in memory (a few MB for 10,000 projects, against
 * the whole sheet model before) so the caller writes it with the same atomic temp-file-and-rename as every output.
 */
export function streamBook(properties: BookProperties): StreamBook {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Shared strings as the whole-model writer uses them: LibreOffice, WPS and older readers all take them.
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  Object.assign(writer, properties);
  const book = writer as unknown as BookInternals;
  // The streaming writer's app.xml leaves out the company (单位) that the whole-model writer records from the same model.
  book.addApp = async () => {
    const xml = new AppXform().toXml({ worksheets: book._worksheets.filter(Boolean), company: properties.company });
    book.zip.append(xml, { name: 'docProps/app.xml' });
  };
  // Every sheet, also those the shared print helpers add through the writer, gets what the writer leaves out.
  const addWorksheet = writer.addWorksheet.bind(writer);
  writer.addWorksheet = (name?: string, options?: Partial<ExcelJS.AddWorksheetOptions>) => {
    const ws = addWorksheet(name, options);
    const internals = ws as unknown as WriterInternals;
    // The writer puts the sheet views out when the sheet opens; the shared layout helpers assign them again later,
    // which the writer's read-only property would refuse.
    Object.defineProperty(ws, 'views', { value: ws.views, writable: true });
    // Nor does it write print options (centred on the page), which belong just before the page margins.
    const margins = internals._writePageMargins.bind(ws);
    internals._writePageMargins = () => {
      const { horizontalCentered, verticalCentered } = internals.pageSetup;
      if (horizontalCentered || verticalCentered) {
        internals.stream.write(`<printOptions${horizontalCentered ? ' horizontalCentered="1"' : ''}${verticalCentered ? ' verticalCentered="1"' : ''}/>`);
      }
      margins();
    };
    return ws;
  };
  return {
    writer,
    addSheet: (name, options) => writer.addWorksheet(name, options),
    async finish() {
      const ended = new Promise<void>((resolve, reject) => {
        sink.on('end', resolve);
        sink.on('error', reject);
      });
      await writer.commit();
      await ended;
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

/**
 * Merges a block of rows not yet committed. The writer compares each new merge with every earlier one (O(merges²) over
 * a long sheet); the blocks merged here never overlap, so the check runs against none and the merge is recorded after.
 */
export function mergeDisjoint(ws: ExcelJS.Worksheet, top: number, left: number, bottom: number, right: number): void {
  const sheet = ws as unknown as WriterInternals;
  const merges = sheet._merges;
  const fresh: unknown[] = [];
  sheet._merges = fresh;
  try {
    ws.mergeCells(top, left, bottom, right);
  } finally {
    sheet._merges = merges;
    merges.push(...fresh);
  }
}
