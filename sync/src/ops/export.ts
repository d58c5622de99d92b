/** `coop export` as an operation: reads the registry and writes the archive workbook atomically. */
import { CoopError, STATUSES, schoolDate } from '../../../core/index.js';
import { buildArchive, type ArchiveFilters } from '../excel/archive.js';
import { guardOutputs, registryFiles } from '../io/output-paths.js';
import { OUTPUT_TEXT } from '../io/text.js';
import { writeFileAtomic } from '../stores/atomic-file.js';
import { refuseIfOpenInOffice } from '../stores/office-locks.js';
import { openStore } from '../stores/open.js';
import { deriveColumns, readSettings } from '../../../core/index.js';

export const defaultArchiveName = (now: Date, year?: number): string => `合作交流档案-${year ?? schoolDate(now).slice(0, 4)}.xlsx`;

export interface ExportResult {
  path: string;
  digest: string;
  counts: Record<string, number>;
}

export function checkFilters(filters: ArchiveFilters): void {
  if (filters.year !== undefined && !(Number.isInteger(filters.year) && filters.year >= 2000 && filters.year <= 2100)) {
    throw new CoopError('USAGE', `--year 应为四位年份，如 2024`);
  }
  if (filters.status !== undefined && !(STATUSES as readonly string[]).includes(filters.status)) {
    throw new CoopError('USAGE', `--status 应为以下之一：${STATUSES.join('、')}`);
  }
}

export async function exportArchive(registry: string, out: string, now: Date, filters: ArchiveFilters): Promise<ExportResult> {
  checkFilters(filters);
  await guardOutputs([{ path: out, role: '--out' }], registryFiles(registry));
  await refuseIfOpenInOffice(out, OUTPUT_TEXT.archive);
  const data = await openStore(registry).read();
  const { settings } = readSettings(data);
  const today = schoolDate(now);
  deriveColumns(data, today);
  const { workbook, digest, counts } = buildArchive(data, settings, now, today, filters);
  await writeFileAtomic(out, new Uint8Array(await workbook.xlsx.writeBuffer()));
  return { path: out, digest, counts };
}
