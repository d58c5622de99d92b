// Finds LibreOffice for tests that open our files as a real client would; such tests skip, with a printed reason, without it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findSoffice(): string | null {
  for (const candidate of ['soffice', 'libreoffice']) {
    const r = spawnSync('which', [candidate], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

export const SOFFICE = findSoffice();
export const NO_SOFFICE_REASON = 'LibreOffice (soffice) is not installed: run `bash .ci/run` or `apt-get install libreoffice-calc libreoffice-writer`';
if (!SOFFICE) console.warn(`[skip] ${NO_SOFFICE_REASON}`);

/** Converts a file with `soffice --headless --convert-to`, in a private profile so runs never collide. */
export function convertWithLibreOffice(input: string, format: string, outDir = mkdtempSync(join(tmpdir(), 'lo-out-'))): string {
  if (!SOFFICE) throw new Error(NO_SOFFICE_REASON);
  const profile = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  execFileSync(SOFFICE, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', format, '--outdir', outDir, input], {
    stdio: 'pipe',
    timeout: 120_000,
  });
  const produced = readdirSync(outDir);
  if (produced.length === 0) throw new Error(`LibreOffice produced nothing converting ${input} to ${format}`);
  return join(outDir, produced[0]!);
}
