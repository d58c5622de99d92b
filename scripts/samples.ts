// `npm run samples`: prints every document coop makes from the demo registry and writes a PNG of each one's first page
// to ./samples/ (not committed), so a person can look at them. Needs LibreOffice and poppler-utils (pdftoppm).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const coopJs = join(root, 'dist/sync/coop.js');
const outDir = join(root, 'samples');
const work = mkdtempSync(join(tmpdir(), 'coop-samples-'));
const registry = join(work, 'registry.xlsx');

function coop(args: string[]): string {
  const r = spawnSync(process.execPath, [coopJs, ...args], { cwd: work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`coop ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

for (const tool of ['soffice', 'pdftoppm']) {
  if (spawnSync('which', [tool]).status !== 0) {
    console.error(
      `需要 ${tool}：请安装 LibreOffice 和 poppler-utils（Debian/Ubuntu：sudo apt-get install libreoffice-calc libreoffice-writer poppler-utils fonts-noto-cjk）`,
    );
    process.exit(2);
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
coop(['demo', '--dir', work]);
const pdfs: string[] = [];
coop(['export', '--registry', registry, '--out', join(work, '归档工作簿.xlsx'), '--pdf']);
pdfs.push(join(work, '归档工作簿.pdf'));
// The archive's cover is its first page; the register an archivist reads is the second.
execFileSync('pdftoppm', ['-png', '-r', '110', '-f', '2', '-l', '2', '-singlefile', join(work, '归档工作簿.pdf'), join(outDir, '归档工作簿-登记簿')]);
coop(['agreement', 'HZ2026-001', '--force', '--pdf', '--out', join(work, 'agreements'), '--registry', registry]);
coop(['agreement', 'HZ2026-005', '--draft', '--pdf', '--out', join(work, 'agreements'), '--registry', registry]);
for (const f of readdirSync(join(work, 'agreements')).filter((f) => f.endsWith('.pdf'))) pdfs.push(join(work, 'agreements', f));
coop(['print', 'approval', 'HZ2026-001', '--pdf', '--out', join(work, '合作项目审批表.xlsx'), '--registry', registry]);
pdfs.push(join(work, '合作项目审批表.pdf'));
coop(['print', 'agenda', '--meeting', '党委会', '--pdf', '--out', join(work, '党委会议题材料.xlsx'), '--registry', registry]);
pdfs.push(join(work, '党委会议题材料.pdf'));
coop(['print', 'annual', '2026', '--pdf', '--out', join(work, '年度合作报告.xlsx'), '--registry', registry]);
pdfs.push(join(work, '年度合作报告.pdf'));

for (const pdf of pdfs) {
  const name = basename(pdf, '.pdf');
  execFileSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', pdf, join(outDir, name)]);
  console.log(`samples/${name}.png`);
}
rmSync(work, { recursive: true, force: true });
