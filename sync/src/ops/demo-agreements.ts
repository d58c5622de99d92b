/** The demo's agreement step: Word agreements for every project the demo registry holds as 已批准 or 已生效 (none until the workflow step approves some). */
import { dirname, join } from 'node:path';
import { generateAgreements } from '../agreements/generate.js';
import { defaultTemplatesDir } from '../agreements/paths.js';
import { DocxRenderer } from '../agreements/renderers/docx.js';
import { XlsxRegistryStore } from '../stores/xlsx-store.js';

export async function demoAgreements(registryPath: string, now: Date): Promise<{ generated: number; dir: string }> {
  const dir = join(dirname(registryPath), '协议');
  const renderer = new DocxRenderer({ templatesDir: defaultTemplatesDir(), outDir: dir, baseDir: dirname(registryPath), pdf: false });
  const result = await generateAgreements(new XlsxRegistryStore(registryPath), renderer, { projectIds: [], allApproved: true }, now);
  return { generated: result.generated.length, dir };
}
