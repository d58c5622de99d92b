// The guides cannot drift from the CLI: every `coop …` line in a fenced shell block of README.md and docs/*.md runs,
// in order, against a demo registry (Google commands against the loopback emulator), and every error message the
// 常见问题 quotes exists in the code.
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coop, coopAsync, tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from '../google/harness.js';

export interface DocCommand {
  doc: string;
  line: number;
  args: string[];
  /** Exit code the guide promises (a trailing `# 退出码 N` comment), 0 when it promises none. */
  expectedExit: number;
}

const DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Splits a shell line into words, honouring single and double quotes (enough for the guides' examples). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** Every runnable line of the fenced bash/sh blocks: `coop …` commands and `export NAME=value` settings, in order. */
export function docLines(doc: string): ({ kind: 'coop'; command: DocCommand } | { kind: 'env'; name: string; value: string })[] {
  const lines = readFileSync(doc, 'utf8').split('\n');
  const out: ReturnType<typeof docLines> = [];
  let inShell = false;
  lines.forEach((raw, i) => {
    const fence = raw.trim().match(/^```(\w*)/);
    if (fence) {
      inShell = !inShell && ['bash', 'sh', 'shell'].includes(fence[1]!);
      return;
    }
    if (!inShell) return;
    const [code, comment = ''] = raw.trim().split(/\s+#\s+/, 2) as [string, string?];
    const env = code.match(/^export (\w+)=(\S+)$/);
    if (env) out.push({ kind: 'env', name: env[1]!, value: env[2]! });
    const words = shellWords(code.replace(/^(npx )/, ''));
    if (words[0] !== 'coop') return;
    const exit = comment.match(/退出码\s*(\d)/);
    out.push({ kind: 'coop', command: { doc, line: i + 1, args: words.slice(1), expectedExit: exit ? Number(exit[1]) : 0 } });
  });
  return out;
}

/** Placeholders the guides use for things only a real school has; the emulator supplies stand-ins. */
function substitute(args: string[], ids: { spreadsheet: string; folder: string }): string[] {
  return args.map((a) => a.replaceAll('表格ID', ids.spreadsheet).replaceAll('模板文件夹ID', ids.folder).replaceAll('文件夹ID', ids.folder));
}

/** The office's and the administrator's guides are mostly commands: an empty run means the extraction broke. */
const GUIDES_FOR_PEOPLE = ['docs/使用手册.md', 'docs/部署指南.md'];

/** Commands that need a person at a browser; the guides show them, a test cannot click 允许. */
const INTERACTIVE = /^google login\b/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.emulator.stop());

describe.each(DOCS)('%s', (doc) => {
  it('runs every coop command it quotes, in order, with the exit code it promises', async () => {
    const demoDir = tempDir('coop-doc-');
    const demo = coop(['demo'], { cwd: demoDir });
    expect(demo.code).toBe(0);
    const cwd = join(demoDir, 'demo-output');
    cpSync('templates', join(cwd, 'templates'), { recursive: true });
    const ids = { spreadsheet: h.emulator.addSpreadsheet([]), folder: h.emulator.addFolder('协议') };
    // The guides' commands may write per-user files (keys, tokens): a private home keeps them off the machine's.
    const home = tempDir('coop-doc-home-');
    const env: Record<string, string> = { ...h.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') };
    const failures: string[] = [];
    let ran = 0;
    for (const entry of docLines(doc)) {
      if (entry.kind === 'env') {
        env[entry.name] = entry.value;
        continue;
      }
      const { command } = entry;
      if (INTERACTIVE.test(command.args.join(' '))) continue;
      const args = substitute(command.args, ids);
      const r = await coopAsync(args, { cwd, env });
      ran++;
      if (r.code !== command.expectedExit) {
        failures.push(
          `${doc}:${command.line} coop ${command.args.join(' ')} → 退出码 ${r.code}（文档写的是 ${command.expectedExit}）\n${r.stderr}${r.stdout.slice(0, 400)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    if (GUIDES_FOR_PEOPLE.includes(doc)) expect(ran).toBeGreaterThan(5);
  }, 600_000);
});

/** Every source file whose strings a person may see. */
function sourceText(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.(ts|mjs)$/.test(e.name)) files.push(join(dir, e.name));
    }
  };
  for (const dir of ['core', 'sync/src', 'apps-script/src', 'scripts']) walk(dir);
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('docs/使用手册.md 常见问题', () => {
  it('quotes only messages the code really prints', () => {
    const faq = readFileSync('docs/使用手册.md', 'utf8').split('## 常见问题')[1] ?? '';
    // Each question is headed by the message fragment it explains: #### 「…」
    const quoted = [...faq.matchAll(/^#### 「(.+)」\s*$/gm)].map((m) => m[1]!);
    expect(quoted.length).toBeGreaterThanOrEqual(10);
    const code = sourceText();
    const missing = quoted.filter((q) => !q.split('…').every((part) => code.includes(part.trim())));
    expect(missing).toEqual([]);
  });
});
