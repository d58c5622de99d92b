/** 生成合作协议 from the sheet. Until the shared agreement field map is available here, the office uses `coop agreement`. */
import { UI_TEXT } from './text.js';

export function generateAgreement(_ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  return UI_TEXT.agreementViaCli;
}
