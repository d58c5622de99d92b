// 生成合作协议 from the sheet: the category's template Doc is copied and filled with the core field map (core/agreement.ts).
import { describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES, agreementFields, amountInWords } from '../../core/index.js';
import { APPROVERS, OFFICE, STAFF, registry, submittedProject, tick } from './fixture.js';

function approved(h: ReturnType<typeof registry>): number {
  const row = submittedProject(h);
  for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
  h.as(OFFICE).select('合作项目', row);
  h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '校办〔2026〕12号' });
  h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '党委〔2026〕5号' });
  return row;
}

const TEMPLATE = [
  '合作协议 {{协议编号}}{{草稿标记}}',
  '甲方：{{学校名称}}',
  '乙方：{{合作单位名称}}（{{统一社会信用代码}}）',
  '项目：{{项目名称}}，期限 {{合作期限}}',
  '预计收入 {{预计收入}} 元（大写：{{预计收入大写}}）',
  '{{知识产权条款}}',
];

describe('生成合作协议', () => {
  it('copies the category’s template and fills every placeholder from the core field map', () => {
    const h = registry();
    h.drive.addTemplate('tpl-order', '订单式人才培养模板', TEMPLATE, ['{{学校名称}} 合作协议']);
    h.log.quiet(() => {
      // 协议模板 rows are added by the office under their own group.
      const sheet = h.sheet('设置');
      const r = sheet.getLastRow() + 1;
      sheet.getRange(r, 1, 1, 3).setValues([['协议模板', '订单式人才培养', 'https://docs.google.com/document/d/tpl-order/edit']]);
    });
    const row = approved(h);
    const out = h.click('生成合作协议').join('\n');
    expect(out).toContain('已生成项目 HZ2026-001 的合作协议');
    const copy = [...h.drive.docs.values()].find((d) => d.id.startsWith('copy-'))!;
    const text = copy.body.getText();
    expect(text).not.toMatch(/\{\{/);
    expect(text).toContain('合作协议 ZQLG-HZ-2026-001\n');
    expect(text).toContain('甲方：肇庆理工中等职业学校');
    expect(text).toContain(`预计收入 10,000.00 元（大写：${amountInWords(10000)}）`);
    expect(text).toContain('由甲乙双方共同所有');
    expect(copy.header!.getText()).toBe('肇庆理工中等职业学校 合作协议');
    expect(copy.name).toBe('合作协议 HZ2026-001 数控专业订单班');
    expect(h.records('合作项目')[row - 2]!['协议文件']).toBe(copy.getUrl());
    // The same field map the CLI uses: nothing is restated here.
    expect(agreementFields).toBeTypeOf('function');
  });

  it('offers a marked draft for a project not yet approved, and asks for a template when none is set', () => {
    const h = registry();
    const row = submittedProject(h);
    h.as(OFFICE).select('合作项目', row);
    expect(h.click('生成合作协议', { button: 'YES' }).join('\n')).toContain('没有「订单式人才培养」或「通用」模板');
    h.drive.addTemplate('tpl-general', '通用模板', TEMPLATE);
    h.log.quiet(() =>
      h
        .sheet('设置')
        .getRange(h.sheet('设置').getLastRow() + 1, 1, 1, 3)
        .setValues([['协议模板', '通用', 'tpl-general']]),
    );
    expect(h.click('生成合作协议', { button: 'NO' }).join('\n')).toContain('已取消');
    h.click('生成合作协议', { button: 'YES' });
    const copy = [...h.drive.docs.values()].find((d) => d.id.startsWith('copy-'))!;
    expect(copy.body.getText()).toContain('（草稿，仅供审阅，不得作为签署文本）');
    expect(h.records('合作项目')[row - 2]!['协议文件']).toBe('');
  });

  it('refuses a template with an unknown placeholder and leaves no copy behind', () => {
    const h = registry();
    h.drive.addTemplate('tpl-bad', '坏模板', ['{{甲方地址}}']);
    h.log.quiet(() =>
      h
        .sheet('设置')
        .getRange(h.sheet('设置').getLastRow() + 1, 1, 1, 3)
        .setValues([['协议模板', '通用', 'tpl-bad']]),
    );
    approved(h);
    const out = h.click('生成合作协议').join('\n');
    expect(out).toContain('无法识别的占位符「{{甲方地址}}」');
    expect(h.drive.trashed.size).toBe(1);
  });

  it('is for the office only', () => {
    const h = registry();
    const row = submittedProject(h);
    h.as(STAFF).select('合作项目', row);
    expect(h.click('生成合作协议').join('\n')).toContain('不是合作交流处工作人员');
  });

  it('puts the Doc into the Drive folder 设置 names (协议模板 ▸ 协议文件夹), given as a link', () => {
    const h = registry();
    h.drive.addTemplate('tpl-order', '订单式人才培养模板', TEMPLATE);
    h.drive.addFolder('folder-agreements');
    h.log.quiet(() => {
      const sheet = h.sheet('设置');
      const r = sheet.getLastRow() + 1;
      sheet.getRange(r, 1, 2, 3).setValues([
        ['协议模板', '订单式人才培养', 'tpl-order'],
        ['协议模板', '协议文件夹', 'https://drive.google.com/drive/folders/folder-agreements'],
      ]);
    });
    approved(h);
    expect(h.click('生成合作协议').join('\n')).toContain('已生成项目 HZ2026-001 的合作协议');
    const copy = [...h.drive.docs.values()].find((d) => d.id.startsWith('copy-'))!;
    expect(h.drive.parents.get(copy.id)).toBe('folder-agreements');
  });
});
