// Calendar dates cross the .xlsx edge without shifting a day, whatever time zone the office computer runs in.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';

/** The extremes: UTC+14 and UTC−11, where a midnight misread shows up as the next or previous day. */
const WRITE_READ = [
  ['Pacific/Kiritimati', 'Pacific/Pago_Pago'],
  ['Pacific/Pago_Pago', 'Pacific/Kiritimati'],
  ['America/Los_Angeles', 'Asia/Shanghai'],
] as const;

describe('dates across time zones', () => {
  it.each(WRITE_READ)('a registry written under TZ=%s reads back the same dates under TZ=%s', async (writeZone, readZone) => {
    const dir = tempDir();
    const r = coop(['demo', '--dir', dir], { env: { TZ: writeZone } });
    expect(r.code, r.stderr).toBe(0);
    const path = join(dir, 'registry.xlsx');
    const projects = (await new XlsxRegistryStore(path).read()).projects.map((p) => [p.cells.startDate, p.cells.endDate]);
    expect(projects[0]).toEqual(['2025-09-01', '2028-07-31']);
    expect(projects[1]).toEqual(['2025-03-01', '2028-02-29']);
    const status = coop(['status', '--json', '--registry', path], { env: { TZ: readZone } });
    expect(status.code, status.stderr).toBe(0);
    const check = coop(['validate', '--registry', path], { env: { TZ: readZone } });
    expect(check.stdout).toContain('未发现问题');
  });
});
