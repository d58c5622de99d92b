// The CLI's layers stay layered: every import in sync/src points down (entry → commands → views → ops → adapters → core),
// views take op result types (and op message text) but call no op or store, and core imports nothing from sync/ or apps-script/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Higher layers may import lower ones (or their own); never the other way. */
const LAYERS: { name: string; rank: number; paths: string[] }[] = [
  { name: 'entry', rank: 5, paths: ['sync/src/coop.ts', 'sync/src/cli/'] },
  { name: 'commands', rank: 4, paths: ['sync/src/commands/'] },
  { name: 'views', rank: 3, paths: ['sync/src/views/'] },
  // Two ops live beside the adapters they drive: agreement generation (plan, render, record) and the template upload.
  { name: 'ops', rank: 2, paths: ['sync/src/ops/', 'sync/src/agreements/generate.ts', 'sync/src/google/templates-upload.ts'] },
  { name: 'adapters', rank: 1, paths: ['sync/src/'] },
  { name: 'core', rank: 0, paths: ['core/'] },
];

export function layerOf(file: string): { name: string; rank: number } | undefined {
  let best: (typeof LAYERS)[number] | undefined;
  let bestLength = -1;
  for (const layer of LAYERS)
    for (const p of layer.paths)
      if ((file === p || (p.endsWith('/') && file.startsWith(p))) && p.length > bestLength) {
        best = layer;
        bestLength = p.length;
      }
  return best && { name: best.name, rank: best.rank };
}

export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Static imports, re-exports and dynamic `import('…')` of relative modules, resolved to repository paths. */
export function importsOf(file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of source.matchAll(pattern)) {
    const spec = m[3] ?? m[4]!;
    const to = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts');
    edges.push({ from: file, to, typeOnly: Boolean(m[2]) });
  }
  return edges;
}

/** Every edge that points up, and every value import of an op or a store from a view. */
export function violations(edges: readonly ImportEdge[]): string[] {
  const found: string[] = [];
  for (const e of edges) {
    const from = layerOf(e.from);
    const to = layerOf(e.to);
    if (!from || !to) continue;
    if (to.rank > from.rank) found.push(`${e.from} (${from.name}) → ${e.to} (${to.name})`);
    else if (from.name === 'views' && !e.typeOnly && !e.to.endsWith('-text.ts') && (to.name === 'ops' || e.to.startsWith('sync/src/stores/')))
      found.push(`${e.from} (views) runs ${e.to}: views print results, they do not produce them`);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('sync/src layers', () => {
  it('has no import that points up', () => {
    const edges = [...sourceFiles('sync/src'), ...sourceFiles('core')].flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8')));
    // The walk must really see the tree: commands import ops, ops import stores, views import op result types.
    expect(edges.filter((e) => e.from.startsWith('sync/src/commands/') && e.to.startsWith('sync/src/ops/')).length).toBeGreaterThan(10);
    expect(edges.some((e) => e.from.startsWith('sync/src/views/') && e.to.startsWith('sync/src/ops/') && e.typeOnly)).toBe(true);
    expect(violations(edges)).toEqual([]);
  });

  it('leaves the exit status to the entry: no command or op ends the process or returns a bare exit number', () => {
    const offenders = sourceFiles('sync/src')
      .filter((f) => f !== 'sync/src/coop.ts')
      .flatMap((f) => {
        const source = readFileSync(join(ROOT, f), 'utf8');
        const found: string[] = [];
        if (/process\.exit\(|process\.exitCode\s*=/.test(source)) found.push(`${f}: ends the process`);
        if (f.startsWith('sync/src/commands/') && /\breturn\s+\d+\s*;/.test(source)) found.push(`${f}: returns a bare number`);
        return found;
      });
    expect(offenders).toEqual([]);
  });

  it('reports an upward import, a view that runs an op, and core reaching into sync', () => {
    const edges = [
      ...importsOf('sync/src/ops/x.ts', "import { command } from '../commands/status.js';"),
      ...importsOf('sync/src/views/y.ts', "import { openStore } from '../stores/open.js';\nimport type { RemindResult } from '../ops/remind.js';"),
      ...importsOf('sync/src/excel/z.ts', "const m = await import('../cli/main.js');"),
      ...importsOf('core/w.ts', "export { x } from '../sync/src/io/problems.js';"),
      ...importsOf('sync/src/agreements/generate.ts', "import { requireIntactLog } from '../ops/workflow.js';"),
    ];
    expect(violations(edges)).toEqual([
      'sync/src/ops/x.ts (ops) → sync/src/commands/status.ts (commands)',
      'sync/src/views/y.ts (views) runs sync/src/stores/open.ts: views print results, they do not produce them',
      'sync/src/excel/z.ts (adapters) → sync/src/cli/main.ts (entry)',
      'core/w.ts (core) → sync/src/io/problems.ts (adapters)',
    ]);
  });
});
