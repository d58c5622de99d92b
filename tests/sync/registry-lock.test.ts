// The registry lock over a long step: refreshed while the step yields, and a lock lost meanwhile is reported in
// Chinese with nothing written (before: proper-lockfile's uncaught ECOMPROMISED, and the second writer's work lost).
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoopError } from '../../core/index.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the registry lock during a long step', () => {
  it('is refreshed while the step runs, so no other coop takes it as stale', async () => {
    const path = join(tempDir(), 'registry.xlsx');
    expect(coop(['init', '--registry', path]).code).toBe(0);
    const store = new XlsxRegistryStore(path);
    const mtimes = await store.update(async (data) => {
      const first = statSync(`${path}.lock`).mtimeMs;
      await sleep(6_500);
      data.settings.push({ cells: { group: '学校', item: '备注', value: '长时间导入', note: null } });
      return { result: [first, statSync(`${path}.lock`).mtimeMs] as const, write: true };
    });
    expect(mtimes[1]).toBeGreaterThan(mtimes[0]);
    expect((await store.read()).settings.some((r) => r.cells.value === '长时间导入')).toBe(true);
  }, 30_000);

  it('reports a lost lock in Chinese and writes nothing', async () => {
    const path = join(tempDir(), 'registry.xlsx');
    expect(coop(['init', '--registry', path]).code).toBe(0);
    const before = sha(path);
    const store = new XlsxRegistryStore(path);
    const error = await store
      .update(async (data) => {
        // What a second coop does when it judges the lock stale: the lock is no longer ours.
        rmSync(`${path}.lock`, { recursive: true, force: true });
        await sleep(6_500);
        data.settings.push({ cells: { group: '学校', item: '备注', value: '不应写入', note: null } });
        return { result: undefined, write: true };
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoopError);
    expect((error as CoopError).code).toBe('REGISTRY_LOCKED');
    expect((error as CoopError).message).toContain('锁在处理过程中失效');
    expect((error as CoopError).message).toContain('未写入');
    expect(sha(path)).toBe(before);
  }, 30_000);
});
