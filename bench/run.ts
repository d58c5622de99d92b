// `npm run bench`: runs every bench/*.bench.ts in turn; each prints its own figures (no assertions, no thresholds).
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const only = process.argv[2];
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.ts', '')}`);
  const mod = (await import(pathToFileURL(new URL(file, import.meta.url).pathname).href)) as { default: () => Promise<void> };
  await mod.default();
}
