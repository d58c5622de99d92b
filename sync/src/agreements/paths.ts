/** Where the agreement templates live: templates/ of the installed package, wherever the code runs from (sources or dist bundle). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The first templates/ above this module: `../../templates` from dist/sync, `../../../templates` from sync/src/agreements. */
export function defaultTemplatesDir(): string {
  for (const up of ['../../templates/', '../../../templates/']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, 'src'))) return dir;
  }
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

export function templateSourcePath(templatesDir: string, group: string): string {
  return join(templatesDir, 'src', `${group}.md`);
}

export function templateDocxPath(templatesDir: string, group: string): string {
  return join(templatesDir, `${group}.docx`);
}

export function sharedSourcePath(templatesDir: string, name: string): string {
  return join(templatesDir, 'src', '_shared', name);
}
