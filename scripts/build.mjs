// Builds the coop CLI (dist/sync) with esbuild; each target is one function so the Apps Script bundle can join it.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

async function buildCli() {
  await rm('dist/sync', { recursive: true, force: true });
  await build({
    entryPoints: { coop: 'sync/src/coop.ts' },
    outdir: 'dist/sync',
    bundle: true,
    // Commands load lazily, so `coop --help` pulls in neither exceljs nor any Google client.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    banner: { js: '#!/usr/bin/env node' },
    define: { COOP_VERSION: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  await chmod('dist/sync/coop.js', 0o755);
}

await buildCli();
