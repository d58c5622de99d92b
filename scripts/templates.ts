// `npm run templates`: regenerates templates/*.docx and templates/README.md from templates/src and core's placeholder list.
import { readFileSync, writeFileSync } from 'node:fs';
import { TEMPLATE_GROUPS } from '../core/index.js';
import { sharedSourcePath, templateDocxPath, templateSourcePath } from '../sync/src/agreements/paths.js';
import { buildTemplateDocx, templatesReadme } from '../sync/src/agreements/template-source.js';

const dir = new URL('../templates/', import.meta.url).pathname;
const readShared = (name: string) => readFileSync(sharedSourcePath(dir, name), 'utf8');
for (const group of TEMPLATE_GROUPS) {
  const docx = buildTemplateDocx(readFileSync(templateSourcePath(dir, group), 'utf8'), readShared);
  writeFileSync(templateDocxPath(dir, group), docx);
  console.log(`templates/${group}.docx`);
}
writeFileSync(`${dir}README.md`, templatesReadme());
console.log('templates/README.md');
