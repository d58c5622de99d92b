// The CLI's contract with its users: Chinese help, exit codes 0/1/2, and the demo as the main job.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COOP, coop, tempDir } from '../helpers/cli.js';

describe('coop', () => {
  it('prints Chinese help listing every command', () => {
    const r = coop(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['init', 'validate', 'status', 'demo']) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(r.stdout).toContain('合作交流登记系统');
  });

  it('ends quietly when the reader closes the pipe early (coop status | head)', async () => {
    // The pipe is closed before coop writes a byte, so every write meets EPIPE.
    const child = spawn(process.execPath, [COOP, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints a command help', () => {
    const r = coop(['init', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('用法：coop init');
    expect(r.stdout).toContain('--repair');
  });

  it('exits 2 on bad usage and on a missing registry, saying what to do', () => {
    const unknown = coop(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('未知命令「frobnicate」');
    const badOption = coop(['status', '--frob']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('命令行选项有误');
    const missing = coop(['validate', '--registry', join(tempDir(), 'nope.xlsx')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('coop init');
  });

  it('exits 2 with a clear message when the registry is not a workbook', async () => {
    const dir = tempDir();
    const path = join(dir, 'registry.xlsx');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, '单位名称,联系人\n甲,乙\n');
    const r = coop(['status', '--registry', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`无法读取 ${path}`);
    expect(r.stderr).toContain('另存为');
  });

  it('reads the registry location from coop.config.json', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'coop.config.json'), JSON.stringify({ registry: 'office.xlsx' }));
    expect(coop(['init'], { cwd: dir }).code).toBe(0);
    expect(coop(['validate', '--registry', join(dir, 'office.xlsx')]).code).toBe(0);
  });

  it('runs the demo: a sample registry and its status', () => {
    const dir = tempDir();
    const r = coop(['demo', '--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`登记表：${join(dir, 'registry.xlsx')}`);
    expect(r.stdout).toMatch(/项目总数：\d+/);
    expect(r.stdout).toContain('按状态：');
  });
});
