/**
 * The seam between choosing and checking agreements (generate.ts) and producing them: a renderer
 * fills one template for one project. Local Word files: renderers/docx.ts. Google Docs plugs in here
 * with a renderer whose `render` calls `createAgreementDoc` of sync/src/google/docs-agreements.ts.
 */
import type { AgreementFields, TemplateGroup } from '../../../core/index.js';

export interface AgreementJob {
  projectId: string;
  /** The template group (templateKeyFor of the project's category). */
  template: TemplateGroup;
  /** `协议编号_合作单位_项目名称`, already safe as a file or document name, without extension. */
  name: string;
  fields: AgreementFields;
  draft: boolean;
}

export interface AgreementOutput {
  /** What goes into 协议文件: a path relative to the registry's folder, or a Doc link. */
  link: string;
  /** The PDF, when one was asked for. */
  pdfLink?: string;
}

export interface AgreementRenderer {
  /** Checks what the renderer needs before anything is written (e.g. LibreOffice for --pdf). */
  prepare(): Promise<void>;
  /**
   * The placeholders a template uses, so every project can be checked before any file is written;
   * throws CoopError('TEMPLATE') when the template is missing or broken. A renderer that cannot
   * list them cheaply (Google Docs) returns null and must instead refuse in `render` — leaving
   * nothing behind — when a replacement finds no placeholder.
   */
  placeholders(template: TemplateGroup): Promise<string[] | null>;
  /** Whether the agreement recorded in 协议文件 still exists; a re-run skips it unless --force. */
  exists(link: string): Promise<boolean>;
  /** Fills the template completely or throws; never leaves a half-filled agreement. */
  render(job: AgreementJob): Promise<AgreementOutput>;
}
