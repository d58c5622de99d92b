/**
 * 生成合作协议 from the sheet: copies the category's template Google Doc and fills its {{placeholders}} with the
 * core field map the CLI uses too (core/agreement.ts) — the choices are made there, the template holds no logic.
 */
import {
  GENERAL_TEMPLATE_KEY,
  agreementAllowed,
  agreementFolderOf,
  agreementFieldErrors,
  agreementFields,
  isCoopError,
  partnerFromCells,
  templateKeyFor,
  type AgreementFields,
} from '../../core/index.js';
import { selectedProject, writePatch } from './actions.js';
import { brokenLogMessage, loggedSheet, projectOnLog } from './log.js';
import { actorEmail, actsForOffice, freshSettings, readSheet, tableRows, withLock } from './registry.js';
import { rowCells } from './table.js';
import { UI_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Searchable = GoogleAppsScript.Document.Body | GoogleAppsScript.Document.HeaderSection | GoogleAppsScript.Document.FooterSection;

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;
/** A value that itself contains a placeholder must not keep the fill loop going. */
const MAX_OCCURRENCES = 500;

/** A template is named in 设置 by document ID or by its URL. */
export function documentId(value: string): string {
  return /\/d\/([\w-]+)/.exec(value)?.[1] ?? value.trim();
}

/** A folder is named in 设置 by ID or by its Drive link (…/folders/ID). */
function folderIdOf(value: string): string {
  return /\/folders\/([\w-]+)/.exec(value)?.[1] ?? documentId(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces each placeholder by plain text insertion, so no value is ever read as a pattern or a formula. */
function fill(section: Searchable, name: string, value: string): void {
  const pattern = `\\{\\{\\s*${escapeRegExp(name)}\\s*\\}\\}`;
  let found = section.findText(pattern);
  for (let n = 0; found && n < MAX_OCCURRENCES; n++) {
    const text = found.getElement().asText();
    const start = found.getStartOffset();
    text.deleteText(start, found.getEndOffsetInclusive());
    if (value) text.insertText(start, value);
    found = section.findText(pattern, found);
  }
}

export function generateAgreement(ss: Spreadsheet): string {
  const ui = SpreadsheetApp.getUi();
  const actor = actorEmail();
  return withLock(
    () => {
      const { settings } = freshSettings(ss).parsed;
      if (!actsForOffice(ss, settings, actor)) return UI_TEXT.officeOnly(actor, '生成合作协议');
      const selected = selectedProject(ss);
      if (typeof selected === 'string') return selected;
      // Approved is what the verified 审批记录 says, as for `coop agreement`: a typed 状态 or a forged row never is.
      const sheetLog = loggedSheet(ss);
      const project = projectOnLog(rowCells(selected.table, selected.row - 1), sheetLog, new Date());
      selected.project = project;
      const id = project.projectId ?? '';
      const status = project.status ?? '草稿';
      const draft = !agreementAllowed(status, false);
      // A draft says nothing about approval; the agreement itself waits while the log is broken.
      if (!draft && !sheetLog.report.ok) return brokenLogMessage(sheetLog.report);
      if (draft && ui.alert('生成合作协议', UI_TEXT.agreementDraftConfirm(id, status), ui.ButtonSet.YES_NO) !== ui.Button.YES) return UI_TEXT.cancelled;
      const partnerRow = tableRows(readSheet(ss, 'partners')).find((p) => p.cells.partnerId === project.partnerId);
      if (!partnerRow) return UI_TEXT.partnerNotFound(id, project.partnerId ?? '');
      let fields: AgreementFields;
      try {
        fields = agreementFields(project, partnerFromCells(partnerRow.cells), settings, { draft });
      } catch (error) {
        if (isCoopError(error)) return error.message;
        throw error;
      }
      const group = templateKeyFor(project.category);
      const templateName = settings.templates[group] ? group : GENERAL_TEMPLATE_KEY;
      const template = settings.templates[templateName];
      if (!template) return UI_TEXT.agreementNoTemplate(group);
      // Into the folder 设置 names (协议模板 ▸ 协议文件夹); without one, Drive puts the copy beside the template.
      const folderId = agreementFolderOf(settings);
      const source = DriveApp.getFileById(documentId(template));
      const title = UI_TEXT.agreementTitle(id, project.title ?? '');
      const copy = folderId ? source.makeCopy(title, DriveApp.getFolderById(folderIdOf(folderId))) : source.makeCopy(title);
      const doc = DocumentApp.openById(copy.getId());
      const sections: Searchable[] = [doc.getBody(), doc.getHeader(), doc.getFooter()].filter((s): s is Searchable => !!s);
      const used = sections.flatMap((s) => [...s.getText().matchAll(PLACEHOLDER)].map((m) => m[1]!));
      const errors = agreementFieldErrors(templateName, id, fields, used);
      if (errors.length) {
        copy.setTrashed(true);
        return [UI_TEXT.agreementErrors, ...errors.map((e) => `· ${e}`)].join('\n');
      }
      for (const name of new Set(used)) for (const s of sections) fill(s, name, fields[name as keyof AgreementFields]);
      doc.saveAndClose();
      const url = doc.getUrl();
      if (!draft) writePatch(selected, { agreementLink: url });
      return UI_TEXT.agreementDone(id, url);
    },
    () => UI_TEXT.busy,
  );
}
