// Finds the independent programs tests use as real clients (openpyxl, poppler, Chromium); tests skip, with a printed reason, without them.
import { spawnSync } from 'node:child_process';

function which(name: string): string | null {
  const r = spawnSync('which', [name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** A Python interpreter that can `import openpyxl` (Debian's python3-openpyxl lives under /usr/bin/python3, not pyenv's). */
function findOpenpyxlPython(): string | null {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import openpyxl'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return null;
}

export const OPENPYXL_PYTHON = findOpenpyxlPython();
export const NO_OPENPYXL_REASON = 'python3-openpyxl is not installed: run `bash .ci/run` or `apt-get install python3-openpyxl`';
export const PDFTOTEXT = which('pdftotext');
export const PDFFONTS = which('pdffonts');
export const NO_POPPLER_REASON = 'poppler-utils (pdftotext, pdffonts) is not installed: run `bash .ci/run` or `apt-get install poppler-utils`';
export const CHROMIUM = which('chromium') ?? which('chromium-browser');
export const NO_CHROMIUM_REASON = 'Chromium is not installed: run `bash .ci/run` or `apt-get install chromium`';

if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
if (!PDFTOTEXT || !PDFFONTS) console.warn(`[skip] ${NO_POPPLER_REASON}`);
if (!CHROMIUM) console.warn(`[skip] ${NO_CHROMIUM_REASON}`);

/** Runs a Python snippet with openpyxl available; argv after the script is passed as sys.argv[1:]. */
export function runOpenpyxl(script: string, args: string[] = []): string {
  if (!OPENPYXL_PYTHON) throw new Error(NO_OPENPYXL_REASON);
  const r = spawnSync(OPENPYXL_PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`openpyxl script failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
