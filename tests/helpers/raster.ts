// Renders PDF pages to greyscale pixels with pdftoppm, so a test can look for what a reader would see (a watermark drawn, not written).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each page as greyscale bytes (0 black … 255 white) at the given resolution. */
export function greyPages(pdf: string, dpi = 40): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'coop-raster-'));
  execFileSync('pdftoppm', ['-gray', '-r', String(dpi), pdf, join(dir, 'p')]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pgm'))
    .sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)![1]) - Number(/(\d+)\.pgm$/.exec(b)![1]))
    .map((f) => {
      const bytes = readFileSync(join(dir, f));
      // P5 header: magic, width height, maxval, each ended by one whitespace byte.
      let at = 0;
      for (let fields = 0; fields < 4; ) {
        while (/\s/.test(String.fromCharCode(bytes[at]!))) at++;
        while (!/\s/.test(String.fromCharCode(bytes[at]!))) at++;
        fields++;
      }
      return bytes.subarray(at + 1);
    });
}

/** Pixels whose grey lies within [lo, hi]. */
export function countGrey(pixels: Uint8Array, lo: number, hi: number): number {
  let n = 0;
  for (const p of pixels) if (p >= lo && p <= hi) n++;
  return n;
}
