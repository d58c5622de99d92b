// The workflow commands' options accept what import accepts (half-width brackets, 2026.12.1, 同意/不同意), and near misses get a suggestion.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';

describe('workflow options read like imported cells', () => {
  let dir: string;
  let registry: string;
  let project: string;
  beforeAll(async () => {
    dir = tempDir('coop-options-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
    project = String((await new XlsxRegistryStore(registry).read()).projects.find((p) => p.cells.status === '审查中')!.cells.projectId);
  }, 120_000);
  const run = (args: string[]) => coop([...args, '--registry', registry, '--by', 'stranger@example.com'], { cwd: dir });
  const lastLog = async () => (await new XlsxRegistryStore(registry).read()).reviewLog.at(-1)!.cells;

  it('--dept: half-width brackets mean the department; an abbreviation is refused with a suggestion', async () => {
    const r = run(['review', project, '--dept', '学生(学工)处']);
    // Understood as 学生（学工）处: refused for who acts (a trespass, exit 1), not for the option (exit 2).
    expect(r.code).toBe(1);
    expect((await lastLog()).body).toBe('学生（学工）处');
    const near = run(['review', project, '--dept', '学工处']);
    expect(near.code).toBe(2);
    expect(near.stderr).toContain('您是否指「学生（学工）处」');
  });

  it('--decision 同意 means 通过 and --date 2026.12.1 means 2026-12-01', async () => {
    const m = run(['meeting', project, '--body', '校长办公会', '--decision', '同意', '--minutes', 'X']);
    expect(m.code).toBe(1);
    expect(m.stderr).not.toContain('--decision');
    const s = run(['sign', project, '--date', '2026.12.1']);
    expect(s.code).toBe(1);
    expect(s.stderr).not.toContain('签署日期「');
    expect(run(['sign', project, '--date', '2026.13.1']).stderr).toContain('签署日期「2026.13.1」无效');
  });
});
