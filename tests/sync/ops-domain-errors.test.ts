// Ops speak domain, commands speak flags: an op's refusal of an input names the input in the domain's words, and the
// CLI words the same refusal with the command's flag (the wording people have always seen).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../sync/src/io/input-error.js';
import { guardOutputs } from '../../sync/src/io/output-paths.js';
import { checkFilters } from '../../sync/src/ops/export.js';
import { requireActor } from '../../sync/src/ops/workflow.js';
import { coop, tempDir } from '../helpers/cli.js';

/** Flags in code (not comments) of ops and the Excel adapter, except in advice naming another command (`coop init --repair`). */
function flagMentions(dir: string): string[] {
  const found: string[] = [];
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.ts')))
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*\*)/.test(line)) return;
        for (const m of line.matchAll(/(?<![\w-])--[a-z][a-z-]*/g))
          if (!/coop [a-z]+( [a-z]+)? $/.test(line.slice(0, m.index))) found.push(`${dir}/${f}:${i + 1} ${m[0]}`);
      });
  return found;
}

function thrown(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('ops speak domain, commands speak flags', () => {
  it('no op or Excel adapter message names a flag of the running command', () => {
    expect(flagMentions('sync/src/ops')).toEqual([]);
    expect(flagMentions('sync/src/excel')).toEqual([]);
    // The scan sees a flag where there is one.
    expect(flagMentions('sync/src/commands').length).toBeGreaterThan(5);
  });

  it('an op names the input; the flag wording is the same message with the flag', async () => {
    const year = thrown(() => checkFilters({ year: 99 }));
    expect(year.input).toBe('year');
    expect(year.message).toBe('导出年度应为四位年份，如 2024');
    expect(year.withFlag('--year')).toBe('--year 应为四位年份，如 2024');

    const actor = thrown(() => requireActor(undefined));
    expect(actor.input).toBe('actor');
    expect(actor.message).not.toContain('--');
    expect(actor.withFlag('--by')).toContain('使用 --by 邮箱');

    const folder = join(tempDir(), 'out');
    mkdirSync(folder);
    const refused = await guardOutputs([{ path: folder, role: '档案工作簿', input: 'out', kind: 'archive' }], []).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toContain(`档案工作簿 指定的 ${folder} 是一个文件夹`);
    expect((refused as InputError).withFlag('--out')).toContain(`--out 指定的 ${folder} 是一个文件夹`);
  });

  it('the CLI words an op refusal with the flag of the command that ran it', () => {
    const dir = tempDir();
    const registry = join(dir, 'r.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    const r = coop(['export', '--registry', registry, '--year', '99', '--out', join(dir, 'a.xlsx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--year 应为四位年份，如 2024');
    const noActor = coop(['submit', 'HZ2026-001', '--registry', registry], { cwd: dir, env: { COOP_USER: '' } });
    expect(noActor.stderr).toContain('请指定操作人：使用 --by 邮箱');
  });
});
