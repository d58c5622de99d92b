// Pushes the built Apps Script bundle with clasp; the school's script ID comes from COOP_SCRIPT_ID or an untracked .clasp.json, never from a tracked file.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLASP_FILE = '.clasp.json';
export const ROOT_DIR = 'dist/apps-script';
const PLACEHOLDER = /^(|REPLACE_WITH_YOUR_SCRIPT_ID)$/;

/**
 * The clasp project file to push with: COOP_SCRIPT_ID wins; otherwise the admin's own untracked .clasp.json.
 * Returns a Chinese explanation instead when neither names a script.
 */
export function claspConfig(env, existing) {
  const fromEnv = env.COOP_SCRIPT_ID?.trim();
  if (fromEnv) return { config: { scriptId: fromEnv, rootDir: ROOT_DIR } };
  const scriptId = typeof existing?.scriptId === 'string' ? existing.scriptId.trim() : '';
  if (scriptId && !PLACEHOLDER.test(scriptId)) return { config: { ...existing, scriptId, rootDir: ROOT_DIR } };
  return {
    error:
      '未找到 Apps Script 脚本 ID。请在表格的「扩展程序 › Apps Script › 项目设置」中复制脚本 ID，然后运行\n' +
      '  COOP_SCRIPT_ID=脚本ID npm run push        （Windows PowerShell：$env:COOP_SCRIPT_ID="脚本ID"; npm run push）\n' +
      '脚本 ID 会写入本机的 .clasp.json（已被 .gitignore 排除，不会提交）。',
  };
}

function readExisting() {
  if (!existsSync(CLASP_FILE)) return null;
  try {
    return JSON.parse(readFileSync(CLASP_FILE, 'utf8'));
  } catch {
    return null;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { config, error } = claspConfig(process.env, readExisting());
  if (error) {
    console.error(error);
    process.exit(2);
  }
  writeFileSync(CLASP_FILE, `${JSON.stringify(config, null, 2)}\n`);
  const clasp = spawnSync('npx', ['--no-install', 'clasp', 'push', '--force'], { stdio: 'inherit' });
  process.exit(clasp.status ?? 1);
}
