/** What every printed workbook does around its own layout: read the registry as of today, then write it atomically and, on request, its PDF. */
import type ExcelJS from 'exceljs';
import { deriveColumns, readSettings, schoolDate, type CalendarDate, type RegistryData, type Settings } from '../../../core/index.js';
import type { OutputKind } from '../io/output-kinds.js';
import { guardOutputs, registryFiles } from '../io/output-paths.js';
import { PdfConverter } from '../print/pdf.js';
import { refuseIfOpenInOffice } from '../stores/office-locks.js';
import { writeFileAtomic } from '../stores/atomic-file.js';
import { openStore } from '../stores/open.js';

export interface PrintSource {
  data: RegistryData;
  settings: Settings;
  today: CalendarDate;
  /** Set when a PDF was asked for; LibreOffice was found before the registry was read. */
  pdf: PdfConverter | null;
}

/**
 * Before any work: an output that is the registry (or its backup, lock or anchor) is refused, and so is one a person
 * has open in Excel, WPS or LibreOffice, whose next save would overwrite it.
 */
export async function guardPrintedOutput(registry: string, out: string, what: string, kind?: OutputKind): Promise<void> {
  await guardOutputs([{ path: out, role: what, input: 'out', ...(kind ? { kind } : {}) }], registryFiles(registry));
  await refuseIfOpenInOffice(out, what);
}

export async function readForPrint(registry: string, now: Date, wantPdf: boolean): Promise<PrintSource> {
  const pdf = wantPdf ? new PdfConverter() : null;
  await pdf?.prepare();
  const data = await openStore(registry).read();
  const { settings } = readSettings(data);
  const today = schoolDate(now);
  deriveColumns(data, today);
  return { data, settings, today, pdf };
}

/** Writes the workbook (or the bytes a streaming writer made of one); returns the PDF's path when one was asked for. */
export async function writePrinted(out: string, workbook: ExcelJS.Workbook | Uint8Array, pdf: PdfConverter | null): Promise<{ pdfPath?: string }> {
  await writeFileAtomic(out, workbook instanceof Uint8Array ? workbook : new Uint8Array(await workbook.xlsx.writeBuffer()));
  try {
    return pdf ? { pdfPath: await pdf.convert(out) } : {};
  } finally {
    await pdf?.close();
  }
}
