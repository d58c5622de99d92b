/** 合作交流 ▸ 续签项目: the selected agreement gets a draft renewal linked by 前序项目, as `coop renew` does. */
import { readLogRows } from './log.js';
import { emptyRegistry, renewalDraft, schoolDate, schoolTimestamp, RENEWAL_TEXT } from '../../core/index.js';
import { appendDraftProject, selectedProject } from './actions.js';
import { actorEmail, actsForOffice, freshSettings, readSheet, tableRows, withLock } from './registry.js';
import { UI_TEXT } from './text.js';

export function renewSelected(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  const actor = actorEmail();
  return withLock(
    () => {
      const { table: settingsTable, parsed } = freshSettings(ss);
      if (!actsForOffice(ss, parsed.settings, actor)) return UI_TEXT.officeOnly(actor, '续签');
      const selected = selectedProject(ss);
      if (typeof selected === 'string') return selected;
      const projects = readSheet(ss, 'projects');
      if (!projects || !settingsTable) return UI_TEXT.selectProjectRow;
      const data = emptyRegistry();
      data.projects = tableRows(projects);
      // Whether the agreement is in force is what the verified 审批记录 says, not the typed 状态.
      data.settings = tableRows(settingsTable);
      data.reviewLog = readLogRows(ss);
      const now = new Date();
      const draft = renewalDraft(data, selected.project.projectId ?? '', schoolDate(now), schoolTimestamp(now));
      if (!draft.ok) return draft.message;
      const { projectId } = appendDraftProject(projects, settingsTable, parsed.settings, draft.cells, now);
      return RENEWAL_TEXT.renewed(selected.project.projectId ?? '', projectId, draft.startDate, draft.endDate);
    },
    () => UI_TEXT.busy,
  );
}
