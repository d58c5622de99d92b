// The built Code.js as Apps Script sees it: top-level functions for every menu item and trigger, no Node APIs, V8-safe.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODE_JS, Harness } from './fake/harness.js';
import { registry } from './fixture.js';

const code = readFileSync(CODE_JS, 'utf8');

describe('dist/apps-script/Code.js', () => {
  it('names a top-level function for every menu item and every installed trigger', () => {
    const h = registry();
    const declared = new Set([...code.matchAll(/^function (\w+)\(/gm)].map((m) => m[1]));
    const items = h.menuItems();
    expect([...items.keys()]).toEqual([
      '合作交流助手',
      '初始化/修复登记表',
      '新建合作项目',
      '校验全部',
      '审批记录更正',
      '本部门审查通过',
      '本部门退回',
      '提交审查',
      '退回修改',
      '记录会议审议',
      '登记签署',
      '生成合作协议',
      '续签项目',
      '年度评价 ▸ 检查逾期',
      '年度评价 ▸ 发送提醒',
      '刷新统计看板',
      '提醒渠道密钥',
      '安装触发器',
      '帮助',
    ]);
    for (const fn of items.values()) expect(declared, `menu calls ${fn}`).toContain(fn);
    const triggers = h.scriptApp.triggers;
    expect(triggers.map((t) => [t.handler, t.kind])).toEqual([
      ['handleSheetEdit', 'ON_EDIT'],
      ['dailyReminders', 'CLOCK'],
      ['recordMenuApprovals', 'CLOCK'],
      ['openAssistant', 'ON_OPEN'],
    ]);
    for (const t of triggers) expect(declared).toContain(t.handler);
    // The edit handler must not be the simple trigger name, or every edit would run it twice.
    expect(declared).not.toContain('onEdit');
    expect(declared).toContain('onOpen');
  });

  it('installs each trigger once however often 安装触发器 is clicked', () => {
    const h = registry();
    h.click('安装触发器');
    expect(h.scriptApp.triggers).toHaveLength(4);
    expect(h.scriptApp.triggers[1]!.schedule).toBe('every 1 day(s) at 7:00 Asia/Shanghai');
    expect(h.scriptApp.triggers[2]!.schedule).toBe('every 1 minute(s)');
  });

  it('uses no Node API and needs no eval (zod runs jitless)', () => {
    for (const pattern of [/\brequire\(/, /\bprocess\.(env|argv|exit|cwd)/, /\bBuffer\./, /__dirname/, /\bimport\(\s*['"`]/, /['"]node:/, /\bsetTimeout\(/]) {
      expect(code, String(pattern)).not.toMatch(pattern);
    }
    // The harness removes Function and eval from the script's realm; loading and validating still work.
    const h = new Harness();
    h.open();
    expect(h.app.ui.menus[0]!.title).toBe('合作交流');
  });

  it('is pushed by clasp from dist/apps-script after a build, with the script ID from the environment or an untracked file', async () => {
    const { claspConfig, ROOT_DIR } = await import(pathToFileURL(resolve('scripts/push.mjs')).href);
    expect(ROOT_DIR).toBe('dist/apps-script');
    expect(claspConfig({ COOP_SCRIPT_ID: ' abc123 ' }, null).config).toEqual({ scriptId: 'abc123', rootDir: ROOT_DIR });
    expect(claspConfig({}, { scriptId: 'local-id', rootDir: 'elsewhere' }).config).toEqual({ scriptId: 'local-id', rootDir: ROOT_DIR });
    expect(claspConfig({}, { scriptId: 'REPLACE_WITH_YOUR_SCRIPT_ID' }).error).toMatch(/COOP_SCRIPT_ID=脚本ID npm run push/);
    expect(claspConfig({}, null).error).toMatch(/未找到 Apps Script 脚本 ID/);
    // The school's script ID must never be committed: the project file is untracked and ignored.
    const tracked = execFileSync('git', ['ls-files', '.clasp.json'], { encoding: 'utf8' });
    expect(tracked.trim()).toBe('');
    expect(execFileSync('git', ['check-ignore', '.clasp.json'], { encoding: 'utf8' }).trim()).toBe('.clasp.json');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.scripts.push).toMatch(/^npm run build.*&& node scripts\/push\.mjs/);
    expect(pkg.devDependencies['@google/clasp']).toMatch(/^3\./);
  });

  it('ships a V8 manifest in the school time zone with only the scopes it uses', () => {
    const manifest = JSON.parse(readFileSync('dist/apps-script/appsscript.json', 'utf8'));
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.timeZone).toBe('Asia/Shanghai');
    const used: Record<string, RegExp> = {
      'https://www.googleapis.com/auth/spreadsheets.currentonly': /SpreadsheetApp\./,
      'https://www.googleapis.com/auth/script.container.ui': /getUi\(\)/,
      'https://www.googleapis.com/auth/script.scriptapp': /ScriptApp\./,
      'https://www.googleapis.com/auth/script.send_mail': /MailApp\.sendEmail/,
      'https://www.googleapis.com/auth/userinfo.email': /Session\.getActiveUser/,
      'https://www.googleapis.com/auth/documents': /DocumentApp\./,
      'https://www.googleapis.com/auth/drive': /DriveApp\./,
    };
    for (const scope of manifest.oauthScopes) {
      expect(Object.keys(used), `unexpected scope ${scope}`).toContain(scope);
      expect(code, `scope ${scope} is declared but unused`).toMatch(used[scope]!);
    }
  });
});
