// Reads PDFs as a person checking a printout would: text per page (pdftotext -layout), embedded fonts (pdffonts), and the font sizes used.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/** Text of each page, laid out as printed (pdftotext -layout); pages are split on form feeds. */
export function pdfPages(pdf: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages.at(-1)!.trim() === '') pages.pop();
  return pages;
}

/** Embedded font names as pdffonts lists them, with whether each is embedded. */
export function pdfFonts(pdf: string): { name: string; embedded: boolean }[] {
  const lines = execFileSync('pdffonts', [pdf], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((l) => l.trim());
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    return { name: cols[0]!, embedded: cols.at(-5) === 'yes' };
  });
}

/**
 * Font sizes set by `Tf` in every content stream. LibreOffice writes text with an unscaled text matrix (positions by
 * Td) and bakes any fit-to-page shrink into the Tf size, so Tf is the printed size in points for its PDFs.
 */
export function pdfFontSizes(pdf: string): number[] {
  const bytes = readFileSync(pdf);
  const sizes: number[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(bytes.toString('latin1')))) {
    const start = m.index + m[0].length;
    const end = bytes.indexOf('endstream', start);
    let text: string;
    try {
      text = inflateSync(bytes.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const t of text.matchAll(/\/F\d+\s+([\d.]+)\s+Tf/g)) sizes.push(Number(t[1]));
  }
  return sizes;
}

/** Pages of a PDF (pdfinfo). */
export function pdfPageCount(pdf: string): number {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}
