// The agreement op through the renderer seam, with a stand-in renderer like the Google Docs one: checks first, render, record.
import { describe, expect, it } from 'vitest';
import { CoopError, type TemplateGroup } from '../../core/index.js';
import { generateAgreements } from '../../sync/src/agreements/generate.js';
import type { AgreementJob, AgreementOutput, AgreementRenderer } from '../../sync/src/agreements/renderer.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { NOW, approve, registryWith, sha } from './fixture.js';

/** Renders to fake links; like Google Docs it cannot list placeholders up front. */
class FakeRenderer implements AgreementRenderer {
  rendered: AgreementJob[] = [];
  constructor(
    private readonly failOn?: string,
    private readonly existing = new Set<string>(),
  ) {}
  async prepare(): Promise<void> {}
  async placeholders(_template: TemplateGroup): Promise<string[] | null> {
    return null;
  }
  async exists(link: string): Promise<boolean> {
    return this.existing.has(link);
  }
  async render(job: AgreementJob): Promise<AgreementOutput> {
    if (job.projectId === this.failOn) throw new CoopError('GOOGLE', `模拟失败 ${job.projectId}`);
    this.rendered.push(job);
    return { link: `https://docs.example/${job.projectId}` };
  }
}

describe('generateAgreements', () => {
  it('still refuses blank required fields when the renderer cannot list placeholders, rendering nothing', async () => {
    const fx = await registryWith((projects, data) => {
      approve(0, 1)(projects, data);
      projects[1]!.leader = null;
    });
    const before = sha(fx.registry);
    const renderer = new FakeRenderer();
    await expect(generateAgreements(new XlsxRegistryStore(fx.registry), renderer, { projectIds: [], allApproved: true }, NOW)).rejects.toMatchObject({
      code: 'TEMPLATE',
      details: [expect.stringMatching(/HZ2026-002 的「项目负责人」/)],
    });
    expect(renderer.rendered).toEqual([]);
    expect(sha(fx.registry)).toBe(before);
  });

  it('records what was rendered before a later render failed, then reports the failure', async () => {
    const fx = await registryWith(approve(0, 1, 2));
    const renderer = new FakeRenderer('HZ2026-002');
    await expect(generateAgreements(new XlsxRegistryStore(fx.registry), renderer, { projectIds: [], allApproved: true }, NOW)).rejects.toThrow(
      '模拟失败 HZ2026-002',
    );
    const data = await new XlsxRegistryStore(fx.registry).read();
    expect(data.projects.map((p) => p.cells.agreementLink)).toEqual(['https://docs.example/HZ2026-001', null, null, null, null, null, null]);
    expect(data.projects[0]!.cells.agreementNo).toBe('ZQLG-HZ-2026-001');
  });

  it('regenerates when the recorded agreement is gone, skips when it exists', async () => {
    const fx = await registryWith((projects, data) => {
      approve(0, 1)(projects, data);
      projects[0]!.agreementLink = 'https://docs.example/kept';
      projects[1]!.agreementLink = 'https://docs.example/deleted';
    });
    const renderer = new FakeRenderer(undefined, new Set(['https://docs.example/kept']));
    const result = await generateAgreements(new XlsxRegistryStore(fx.registry), renderer, { projectIds: [], allApproved: true }, NOW);
    expect(result.skipped).toEqual([{ projectId: 'HZ2026-001', link: 'https://docs.example/kept' }]);
    expect(result.generated.map((a) => a.projectId)).toEqual(['HZ2026-002']);
  });
});
