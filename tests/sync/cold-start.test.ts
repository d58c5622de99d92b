// `coop --help` loads neither zod, exceljs nor any Google client: local work starts fast (timings live in npm run bench).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COOP } from '../helpers/cli.js';

/** Every module the entry loads statically, following relative imports of the built bundle. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^import\s+(?:[^'"]*?from\s+)?["']([^"']+)["'];?$/gms)) {
    if (seen.has(spec!)) continue;
    seen.add(spec!);
    if (spec!.startsWith('./')) staticImports(join(dirname(file), spec!), seen);
  }
  return seen;
}

describe('cold start', () => {
  it('the entry statically imports only node built-ins and its own small chunks', () => {
    const packages = [...staticImports(COOP)].filter((s) => !s.startsWith('./') && !s.startsWith('node:'));
    expect(packages).toEqual([]);
  });
});
