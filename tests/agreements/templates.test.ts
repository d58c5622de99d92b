// The committed templates: .docx match their text sources, README matches core, and every template has the clauses the policy asks for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_PLACEHOLDERS, REQUIRED_PLACEHOLDERS, TEMPLATE_GROUPS } from '../../core/index.js';
import { sharedSourcePath, templateDocxPath, templateSourcePath } from '../../sync/src/agreements/paths.js';
import { chineseOrdinal, parseSource, templateParts, templatesReadme } from '../../sync/src/agreements/template-source.js';

const DIR = 'templates';
const readShared = (name: string) => readFileSync(sharedSourcePath(DIR, name), 'utf8');
const source = (group: string) => readFileSync(templateSourcePath(DIR, group), 'utf8');
/** The template's text as it will read: sources with includes resolved. */
const flatText = (group: string) =>
  parseSource(source(group), readShared)
    .map((b) => ('text' in b ? b.text : 'cells' in b ? b.cells.join(' ') : ''))
    .join('\n');

describe('committed templates', () => {
  it.each(TEMPLATE_GROUPS)('%s.docx is what `npm run templates` builds from its source', (group) => {
    const committed = new PizZip(readFileSync(templateDocxPath(DIR, group)));
    const expected = templateParts(source(group), readShared);
    expect(
      Object.keys(committed.files)
        .filter((f) => !committed.files[f]!.dir)
        .sort(),
    ).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) expect(committed.file(name)!.asText(), `${group}.docx ${name}`).toBe(text);
  });

  it('templates/README.md is generated from core (run `npm run templates` if this fails)', () => {
    expect(readFileSync(join(DIR, 'README.md'), 'utf8')).toBe(templatesReadme());
    for (const name of Object.keys(AGREEMENT_PLACEHOLDERS)) expect(templatesReadme()).toContain(`{{${name}}}`);
  });

  it.each(TEMPLATE_GROUPS)('%s uses only known placeholders and every required one', (group) => {
    const used = new Set([...flatText(group).matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1]!));
    for (const name of used) expect(Object.keys(AGREEMENT_PLACEHOLDERS)).toContain(name);
    for (const name of REQUIRED_PLACEHOLDERS) expect(used, `${group} lacks {{${name}}}`).toContain(name);
    expect(used).toContain('草稿标记');
  });

  it.each(TEMPLATE_GROUPS)('%s has every clause the policy and the issue ask for', (group) => {
    const text = flatText(group);
    for (const clause of [
      '合作目的',
      '合作内容',
      '甲方的权利和义务',
      '乙方的权利和义务',
      '合作期限',
      '合作经费',
      '成果与知识产权',
      '保密',
      '违约责任',
      '协议的变更、解除和终止',
      '争议解决',
      '法律适用',
    ]) {
      expect(text, `${group}: ${clause}`).toContain(clause);
    }
    expect(text).toContain('《中华人民共和国民法典》');
    expect(text).not.toContain('《合同法》');
    expect(text).toMatch(/甲方（公章）/);
    expect(text).toMatch(/乙方（公章）/);
    expect(text).toContain('学校代表（签字）');
    expect(text).toContain('法定代表人或授权代表（签字）');
    expect(text).toMatch(/签署日期( Date)?：\{\{签署日期\}\}/);
  });

  it('numbers articles as contracts do', () => {
    expect([1, 9, 10, 11, 19, 20, 21].map(chineseOrdinal)).toEqual(['一', '九', '十', '十一', '十九', '二十', '二十一']);
  });
});
