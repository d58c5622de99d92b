/**
 * PDF output through LibreOffice for every printed document (agreements, archive, approval forms): one private
 * profile per converter, and a fontconfig overlay so 宋体/SimSun resolve to a serif Simplified Chinese face on Linux.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CoopError } from '../../../core/index.js';
import { AGREEMENT_OP_TEXT as T } from '../agreements/text.js';

const run = promisify(execFile);

/** The serif face documents name (宋体, as Chinese contracts and archives expect) and the serif SC faces that stand in for it. */
export const DOCUMENT_FONT = '宋体';
const SERIF_SC = ['Noto Serif CJK SC', 'Source Han Serif SC', 'Source Han Serif CN', 'AR PL UMing CN', 'Noto Serif SC'];
const SONG_NAMES = ['宋体', 'SimSun', '新宋体', 'NSimSun', '仿宋', 'FangSong', 'STSong', 'Songti SC'];

/**
 * Without an alias fontconfig answers 宋体 with a sans face (DejaVu Sans, then Noto Sans CJK for the Han glyphs), so
 * a contract would print in a sans face. Windows and macOS have 宋体 or 宋体-SC; only Linux needs the overlay.
 */
export function fontconfigOverlay(systemConfig = '/etc/fonts/fonts.conf'): string {
  const prefer = SERIF_SC.map((f) => `<family>${f}</family>`).join('');
  const aliases = SONG_NAMES.map((name) => `  <alias binding="strong"><family>${name}</family><prefer>${prefer}</prefer></alias>`).join('\n');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">${systemConfig}</include>
${aliases}
</fontconfig>
`;
}

/** soffice from COOP_SOFFICE, the PATH, or the usual install folders on Windows and macOS. */
export async function findSoffice(): Promise<string | null> {
  const fromEnv = process.env.COOP_SOFFICE;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  for (const dir of (process.env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':')) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const usual = [
    'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
    'C:\\Program Files (x86)\\LibreOffice\\program\\soffice.exe',
    '/Applications/LibreOffice.app/Contents/MacOS/soffice',
  ];
  return usual.find((p) => existsSync(p)) ?? null;
}

async function writeAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export class PdfConverter {
  private soffice: string | null = null;
  private profile: string | null = null;

  /** Fails early, with install instructions in Chinese, when LibreOffice is missing. */
  async prepare(): Promise<void> {
    this.soffice ??= await findSoffice();
    if (!this.soffice) throw new CoopError('NOT_FOUND', T.sofficeMissing[0], T.sofficeMissing.slice(1));
  }

  /** Converts a .docx/.xlsx and writes the PDF beside it (same name, .pdf); returns the PDF's path. */
  async convert(file: string): Promise<string> {
    await this.prepare();
    if (!this.profile) {
      this.profile = await mkdtemp(join(tmpdir(), 'coop-lo-'));
      await writeFile(join(this.profile, 'fonts.conf'), fontconfigOverlay());
    }
    const out = await mkdtemp(join(tmpdir(), 'coop-pdf-'));
    try {
      const env = process.platform === 'linux' ? { ...process.env, FONTCONFIG_FILE: join(this.profile, 'fonts.conf') } : process.env;
      await run(
        this.soffice!,
        [`-env:UserInstallation=${pathToFileURL(join(this.profile, 'user')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', out, file],
        {
          timeout: 180_000,
          env,
        },
      );
      const produced = (await readdir(out)).find((f) => f.endsWith('.pdf'));
      if (!produced) throw new Error('no PDF produced');
      const target = `${file.replace(/\.(docx|xlsx)$/i, '')}.pdf`;
      await writeAtomic(target, new Uint8Array(await readFile(join(out, produced))));
      return target;
    } catch (error) {
      throw new CoopError('INTERNAL', T.pdfFailed(file, (error as Error).message));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    if (this.profile) await rm(this.profile, { recursive: true, force: true });
    this.profile = null;
  }
}
