/** `coop print` as operations: reads the registry once, builds one printed document, writes it atomically (and its PDF on request). */
import { CoopError, MEETING_BODIES, schoolDate, type MeetingBody } from '../../../core/index.js';
import { buildAgenda, buildAnnualReport, buildApprovalForm } from '../excel/print-docs.js';
import { PRINT_TEXT as T } from '../excel/text.js';
import { guardPrintedOutput, readForPrint, writePrinted, type PrintSource } from './printed.js';
import { InputError } from '../io/input-error.js';
import { OUTPUT_TEXT } from '../io/text.js';
import type ExcelJS from 'exceljs';

export type PrintRequest = { kind: 'approval'; projectId: string } | { kind: 'agenda'; meeting: string } | { kind: 'annual'; year: string };

export interface PrintResult {
  path: string;
  pdfPath?: string;
  /** What the document covers: project IDs for an agenda, the project for a form, a count for the report. */
  items: string[];
}

export function defaultPrintName(request: PrintRequest, now: Date): string {
  if (request.kind === 'approval') return `合作项目审批表-${request.projectId}.xlsx`;
  if (request.kind === 'agenda') return `${request.meeting}议题材料-${schoolDate(now)}.xlsx`;
  return `年度合作报告-${request.year}.xlsx`;
}

/** Refuses bad input before the registry is read, so a typo costs nothing. */
export function checkPrintRequest(request: PrintRequest): void {
  if (request.kind === 'approval' && !request.projectId) throw new CoopError('USAGE', T.errors.noProject);
  if (request.kind === 'agenda' && !(MEETING_BODIES as readonly string[]).includes(request.meeting))
    throw new InputError('USAGE', 'meeting', T.errors.badMeeting(request.meeting));
  if (request.kind === 'annual' && !(/^\d{4}$/.test(request.year) && Number(request.year) >= 2000 && Number(request.year) <= 2100)) {
    throw new CoopError('USAGE', T.errors.badYear(request.year));
  }
}

/** The workbook for a request, or a typed refusal (unknown project, nothing to print). */
function buildDocument(request: PrintRequest, { data, settings, today }: PrintSource, now: Date): { workbook: ExcelJS.Workbook; items: string[] } {
  if (request.kind === 'approval') {
    const form = buildApprovalForm(data, request.projectId, settings, now, today);
    if (!form) throw new CoopError('NOT_FOUND', T.errors.notFound(request.projectId));
    return { workbook: form, items: [request.projectId] };
  }
  if (request.kind === 'agenda') {
    const agenda = buildAgenda(data, request.meeting as MeetingBody, settings, now, today);
    // An empty agenda is not a document: say so, write nothing.
    if (!agenda.projects.length) throw new CoopError('VALIDATION', T.errors.emptyAgenda(request.meeting));
    return { workbook: agenda.workbook, items: agenda.projects };
  }
  const report = buildAnnualReport(data, Number(request.year), settings, now, today);
  if (!report.projects) throw new CoopError('VALIDATION', T.errors.emptyAnnual(Number(request.year)));
  return { workbook: report.workbook, items: [request.year] };
}

export async function printDocument(registry: string, request: PrintRequest, out: string, now: Date, options: { pdf?: boolean } = {}): Promise<PrintResult> {
  checkPrintRequest(request);
  await guardPrintedOutput(registry, out, OUTPUT_TEXT.printed);
  const source = await readForPrint(registry, now, options.pdf === true);
  let built: ReturnType<typeof buildDocument>;
  try {
    built = buildDocument(request, source, now);
  } catch (error) {
    await source.pdf?.close();
    throw error;
  }
  return { path: out, items: built.items, ...(await writePrinted(out, built.workbook, source.pdf)) };
}
