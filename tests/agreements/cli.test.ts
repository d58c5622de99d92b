// `coop agreement` end to end through the built CLI: real .docx files opened by LibreOffice, registry write-back, skips, and every refusal writing nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import PizZip from 'pizzip';
import { beforeAll, describe, expect, it } from 'vitest';
import { agreementFields, readSettings, type PartnerRow, type ProjectRow } from '../../core/index.js';
import { sharedSourcePath } from '../../sync/src/agreements/paths.js';
import { buildTemplateDocx } from '../../sync/src/agreements/template-source.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_SOFFICE_REASON, SOFFICE } from '../helpers/libreoffice.js';
import { approve, filesIn, registryWith, setStatus, sha, type Fixture } from './fixture.js';

/** LibreOffice and CLI processes share two cores with other work: a generous limit per test, never a timing assertion. */
const SLOW = 300_000;

/** Converts several files in one LibreOffice start (a start costs seconds on a shared machine). */
function toText(files: string[]): Map<string, string> {
  if (!SOFFICE) throw new Error(NO_SOFFICE_REASON);
  const out = mkdtempSync(join(tmpdir(), 'lo-out-'));
  const profile = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  execFileSync(SOFFICE, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--convert-to', 'txt:Text', '--outdir', out, ...files], {
    stdio: 'pipe',
    timeout: 300_000,
  });
  return new Map(files.map((f) => [f, readFileSync(join(out, basename(f).replace(/\.docx$/, '.txt')), 'utf8')]));
}

const squash = (s: string) => s.replace(/\s+/g, '');

async function rows(registry: string) {
  const data = await new XlsxRegistryStore(registry).read();
  const { settings } = readSettings(data);
  const projects = data.projects.map((p) => p.cells as unknown as ProjectRow);
  const partner = (p: ProjectRow) => data.partners.find((x) => x.cells.partnerId === p.partnerId)!.cells as unknown as PartnerRow;
  return { projects, partner, settings };
}

function documentXml(path: string): string {
  return new PizZip(readFileSync(path)).file('word/document.xml')!.asText();
}

describe('coop agreement (generated agreements read by LibreOffice)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    // Six categories (订单, 实践基地, 合作办园, 培训, 国际交流 with a foreign partner, 教学科研基地): six different templates.
    fx = await registryWith(approve(0, 1, 2, 3, 4, 5));
  }, SLOW);

  it.skipIf(!SOFFICE)(
    'fills every placeholder of every template, leaves no {{, and records number and file',
    async () => {
      const r = coop(['agreement', '--all-approved', '--registry', fx.registry]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const files = filesIn(fx.out).map((f) => join(fx.out, f));
      expect(files).toHaveLength(6);
      const texts = toText(files);
      const { projects, partner, settings } = await rows(fx.registry);
      for (const project of projects.slice(0, 6)) {
        expect(project.agreementNo).toBe(`ZQLG-HZ-2026-${project.projectId!.slice(-3)}`);
        const path = resolve(fx.dir, project.agreementLink!);
        expect(basename(path)).toBe(`${project.agreementNo}_${partner(project).name}_${project.title}.docx`.replace(/[<>:"/\\|?*]/g, ''));
        const text = texts.get(path)!;
        expect(text, path).not.toContain('{{');
        expect(text).not.toContain('}}');
        const fields = agreementFields(project, partner(project), settings);
        for (const [name, value] of Object.entries(fields)) {
          // The bundled templates state money through {{经费条款}}; the bare amounts remain for office-edited templates.
          if (['草稿标记', '合作期限', '预计收入', '预计收入大写', '预计支出', '预计支出大写'].includes(name)) continue;
          // English fields fill only the bilingual template of a 境外机构.
          if (name.startsWith('英文') && partner(project).kind !== '境外机构') continue;
          expect(squash(text), `${project.projectId} ${name}`).toContain(squash(value));
        }
      }
      const foreign = projects[4]!;
      expect(texts.get(resolve(fx.dir, foreign.agreementLink!))).toMatch(/统一社会信用代码( Credit Code)?\s*不适用（境外机构）/);
      expect(texts.get(resolve(fx.dir, projects[0]!.agreementLink!))).toContain('大写：人民币壹拾贰万元整');
    },
    SLOW,
  );

  it.skipIf(!SOFFICE)(
    'a re-run skips agreements that exist; --force regenerates; --pdf adds a PDF',
    async () => {
      const before = new Map(filesIn(fx.out).map((f) => [f, statSync(join(fx.out, f)).mtimeMs]));
      const again = coop(['agreement', '--all-approved', '--registry', fx.registry]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('共生成 0 份协议，跳过 6 项');
      for (const [f, mtime] of before) expect(statSync(join(fx.out, f)).mtimeMs).toBe(mtime);

      const forced = coop(['agreement', 'HZ2026-001', '--force', '--pdf', '--registry', fx.registry]);
      expect(forced.stderr).toBe('');
      expect(forced.stdout).toContain('共生成 1 份协议');
      const pdf = filesIn(fx.out).find((f) => f.endsWith('.pdf'))!;
      expect(pdf.startsWith('ZQLG-HZ-2026-001_')).toBe(true);
      expect(readFileSync(join(fx.out, pdf)).subarray(0, 5).toString()).toBe('%PDF-');
    },
    SLOW,
  );
});

describe('coop agreement refusals write nothing', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await registryWith((projects, data) => {
      approve(0, 1, 4)(projects, data);
      projects[1]!.content = null; // approved, but 合作内容 blank
      setStatus(projects, data, 3, '审查中');
      projects[2]!.status = '已批准'; // typed by hand: no 审批记录 entry vouches for it
      data.partners.push({ cells: { ...data.partners[0]!.cells, partnerId: 'P0099', name: '无关单位' } });
    });
  }, SLOW);

  function expectNothingWritten(before: string, r: { code: number }) {
    expect(r.code).not.toBe(0);
    expect(filesIn(fx.out)).toEqual([]);
    expect(sha(fx.registry)).toBe(before);
  }

  it('a project not yet approved', () => {
    const before = sha(fx.registry);
    const r = coop(['agreement', 'HZ2026-001', 'HZ2026-004', '--registry', fx.registry]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HZ2026-004');
    expect(r.stderr).toContain('审查中');
    expect(r.stderr).toContain('--draft');
    expectNothingWritten(before, r);
  });

  it('a 已批准 typed into the workbook without its 审批记录 entry', () => {
    const before = sha(fx.registry);
    const r = coop(['agreement', 'HZ2026-003', '--registry', fx.registry]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HZ2026-003');
    expect(r.stderr).toContain('草稿');
    expectNothingWritten(before, r);
  });

  it('a required field left blank, even when the other projects are fine', () => {
    const before = sha(fx.registry);
    const r = coop(['agreement', '--all-approved', '--registry', fx.registry]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/项目 HZ2026-002 的「合作内容」.*模板「实践教学基地共建」/);
    expectNothingWritten(before, r);
  });

  it('a missing template', () => {
    const before = sha(fx.registry);
    const r = coop(['agreement', 'HZ2026-001', '--templates', tempDir(), '--registry', fx.registry]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('找不到协议模板「订单式人才培养」');
    expect(r.stderr).toContain('HZ2026-001');
    expectNothingWritten(before, r);
  });

  it.each([
    ['an unknown placeholder', '{{甲方地址}}', '{{甲方地址}}'],
    ['a loop', '{{#合作内容}}x{{/合作内容}}', '条件或循环'],
    ['an unclosed tag', '{{项目名称', '占位符写法有误'],
  ])('a template with %s', (_, text, message) => {
    const dir = tempDir('coop-templates-');
    cpSync('templates', dir, { recursive: true });
    const source = readFileSync('templates/src/订单式人才培养.md', 'utf8').replace('{{项目名称}}', text);
    writeFileSync(
      join(dir, '订单式人才培养.docx'),
      buildTemplateDocx(source, (n) => readFileSync(sharedSourcePath('templates', n), 'utf8')),
    );
    const before = sha(fx.registry);
    const r = coop(['agreement', 'HZ2026-001', '--templates', dir, '--registry', fx.registry]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('订单式人才培养');
    expect(r.stderr).toContain('HZ2026-001');
    expectNothingWritten(before, r);
  });

  it('a placeholder in a part nothing fills (a Word comment)', () => {
    const dir = tempDir('coop-templates-');
    cpSync('templates', dir, { recursive: true });
    const zip = new PizZip(readFileSync('templates/订单式人才培养.docx'));
    zip.file(
      'word/comments.xml',
      '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0"><w:p><w:r><w:t>{{项目名称}}</w:t></w:r></w:p></w:comment></w:comments>',
    );
    writeFileSync(join(dir, '订单式人才培养.docx'), zip.generate({ type: 'uint8array' }));
    const before = sha(fx.registry);
    const r = coop(['agreement', 'HZ2026-001', '--templates', dir, '--registry', fx.registry]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('{{项目名称}}');
    expect(r.stderr).toContain('批注');
    expectNothingWritten(before, r);
  });

  it('--pdf without LibreOffice says how to install it', () => {
    const before = sha(fx.registry);
    const r = coop(['agreement', 'HZ2026-001', '--pdf', '--registry', fx.registry], { env: { COOP_SOFFICE: '/nonexistent/soffice' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('LibreOffice');
    expect(r.stderr).toContain('apt-get install libreoffice-writer');
    expect(r.stderr).toContain('libreoffice.org');
    expectNothingWritten(before, r);
  });

  it(
    'an unknown project, or no project at all',
    () => {
      const before = sha(fx.registry);
      const unknown = coop(['agreement', 'HZ2026-099', '--registry', fx.registry]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('HZ2026-099');
      const none = coop(['agreement', '--registry', fx.registry]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('--all-approved');
      expectNothingWritten(before, none);
    },
    SLOW,
  );

  it('--draft writes a marked draft for any status and leaves the registry alone', () => {
    const before = sha(fx.registry);
    const r = coop(['agreement', 'HZ2026-004', '--draft', '--registry', fx.registry]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [file] = filesIn(fx.out);
    expect(file).toMatch(/^HZ2026-004_.*_草稿\.docx$/);
    expect(documentXml(join(fx.out, file!))).toContain('（草稿，仅供审阅，不得作为签署文本）');
    expect(sha(fx.registry)).toBe(before);
  });
});

describe('coop agreement with a template Word has split into runs', () => {
  it.skipIf(!SOFFICE)(
    'still fills every placeholder',
    async () => {
      const fx = await registryWith(approve(0));
      const dir = tempDir('coop-split-');
      mkdirSync(dir, { recursive: true });
      // What Word writes after spell-checking and re-formatting: braces and names cut into runs, with proofErr and bookmarks between them.
      const body = [
        '<w:p><w:r><w:t>甲方：{</w:t></w:r><w:r><w:t>{学校</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t>名称}</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t>}</w:t></w:r></w:p>',
        '<w:p><w:r><w:t xml:space="preserve">乙方：{{合作</w:t></w:r><w:bookmarkStart w:id="0" w:name="x"/><w:r><w:rPr><w:i/></w:rPr><w:t>单位名称</w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:t>}}（{{统一社会</w:t></w:r><w:r><w:t>信用代码}}）</w:t></w:r></w:p>',
        '<w:p><w:r><w:t>{{</w:t></w:r><w:r><w:t>项目名称</w:t></w:r><w:r><w:t>}}：{{开始日期}}至{{结束</w:t></w:r><w:r><w:t>日期}}，{{预计收入大写}}</w:t></w:r></w:p>',
      ].join('');
      const zip = new PizZip(readFileSync('templates/订单式人才培养.docx'));
      zip.file(
        'word/document.xml',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
      );
      writeFileSync(join(dir, '订单式人才培养.docx'), zip.generate({ type: 'uint8array' }));
      // Required fields the split template does not show are still checked, so the other parts must be fine: they are.
      const r = coop(['agreement', 'HZ2026-001', '--templates', dir, '--registry', fx.registry]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [file] = readdirSync(fx.out);
      const text = toText([join(fx.out, file!)]).get(join(fx.out, file!))!;
      expect(text).not.toContain('{');
      expect(text).toContain('甲方：肇庆理工中等职业学校');
      expect(text).toContain('乙方：肇庆星湖数控机械有限公司（91441200MA4UXK3A2J）');
      expect(text).toContain('数控技术应用专业“星湖班”订单式人才培养：');
      expect(text).toContain('壹拾贰万元整');
    },
    SLOW,
  );
});

describe('coop agreement with an office-edited template', () => {
  it(
    'marks a draft even when the template has no {{草稿标记}}, and drops characters XML cannot hold',
    async () => {
      const fx = await registryWith((projects) => {
        projects[0]!.content = '第一行\u0001\n第二行';
      });
      const dir = tempDir('coop-plain-');
      const source = readFileSync('templates/src/订单式人才培养.md', 'utf8').replace('{{草稿标记}}', '');
      writeFileSync(
        join(dir, '订单式人才培养.docx'),
        buildTemplateDocx(source, (n) => readFileSync(sharedSourcePath('templates', n), 'utf8')),
      );
      const r = coop(['agreement', 'HZ2026-001', '--draft', '--templates', dir, '--registry', fx.registry]);
      expect(r.stderr).toBe('');
      const xml = documentXml(join(fx.out, filesIn(fx.out)[0]!));
      expect(xml.indexOf('草稿，仅供审阅')).toBeGreaterThan(0);
      expect(xml.indexOf('草稿，仅供审阅')).toBeLessThan(xml.indexOf('订单式人才培养合作协议'));
      expect(xml).toContain('第一行');
      expect(xml).toContain('<w:br/>');
      expect(xml).not.toContain('\u0001');
    },
    SLOW,
  );
});

describe('agreement dates do not shift with the time zone', () => {
  it.each(['Pacific/Kiritimati', 'America/Los_Angeles'])(
    'TZ=%s',
    async (tz) => {
      const fx = await registryWith((projects, data) => {
        approve(0)(projects, data);
        projects[0]!.startDate = '2024-03-01';
        projects[0]!.endDate = '2027-02-28';
        projects[0]!.signedAt = '2024-02-29';
      });
      const r = coop(['agreement', 'HZ2026-001', '--registry', fx.registry], { env: { TZ: tz } });
      expect(r.code).toBe(0);
      const xml = documentXml(join(fx.out, filesIn(fx.out)[0]!));
      expect(xml).toContain('自2024年3月1日起至2027年2月28日止');
      expect(xml).toContain('签署日期：2024年2月29日');
    },
    SLOW,
  );
});
