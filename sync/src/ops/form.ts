/** `coop form` as an operation: writes the blank department application workbook, with the registry's lists if there is one. */
import { stat } from 'node:fs/promises';
import { defaultSettings, readSettings, type Settings } from '../../../core/index.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../demo/sample-data.js';
import { buildForm } from '../excel/form.js';
import { guardOutputs, registryFiles } from '../io/output-paths.js';
import { OUTPUT_TEXT } from '../io/text.js';
import { writeFileAtomic } from '../stores/atomic-file.js';
import { refuseIfOpenInOffice } from '../stores/office-locks.js';
import { openStore, spreadsheetIdOf } from '../stores/open.js';

export const DEFAULT_FORM = '合作项目申请表.xlsx';

/** The settings whose lists feed the dropdowns: the registry's when it exists, else the school's defaults. */
export async function formSettings(registry: string | undefined): Promise<Settings> {
  if (
    registry &&
    (spreadsheetIdOf(registry) ||
      (await stat(registry).then(
        () => true,
        () => false,
      )))
  )
    return readSettings(await openStore(registry).read()).settings;
  return defaultSettings();
}

export async function writeForm(path: string, settings: Settings): Promise<string> {
  const partner = SAMPLE_PARTNERS[0]!;
  const project = SAMPLE_PROJECTS.find((p) => p.partnerName === partner.name) ?? SAMPLE_PROJECTS[0]!;
  const workbook = await buildForm(settings, { partner: partner, project: project });
  await writeFileAtomic(path, new Uint8Array(await workbook.xlsx.writeBuffer()));
  return path;
}

/** `coop form`: the form for `registry`'s lists, refused before any work when `path` is the registry or open in Excel. */
export async function writeRegistryForm(path: string, registry: string | undefined): Promise<string> {
  await guardOutputs([{ path, role: OUTPUT_TEXT.form, input: 'out', kind: 'form' }], registry ? registryFiles(registry) : []);
  await refuseIfOpenInOffice(path, OUTPUT_TEXT.form);
  return writeForm(path, await formSettings(registry));
}
