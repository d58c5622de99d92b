// The demo's agreement step: agreements for whatever the demo registry holds as approved, none otherwise.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoAgreements } from '../../sync/src/ops/demo-agreements.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { NOW, approve, filesIn, registryWith } from './fixture.js';

describe('demo agreements', () => {
  it('generates nothing while no project is approved', async () => {
    const fx = await registryWith(() => {});
    expect(await demoAgreements(fx.registry, NOW)).toEqual({ generated: 0, dir: fx.out });
    expect(filesIn(fx.out)).toEqual([]);
  });

  it('generates and records one agreement per approved or effective project', async () => {
    const fx = await registryWith((projects) => {
      approve(0, 2)(projects);
      projects[5]!.status = '已生效';
    });
    expect((await demoAgreements(fx.registry, NOW)).generated).toBe(3);
    const data = await new XlsxRegistryStore(fx.registry).read();
    const recorded = data.projects.filter((p) => p.cells.agreementLink).map((p) => String(p.cells.agreementLink));
    expect(recorded).toHaveLength(3);
    for (const link of recorded) expect(existsSync(join(fx.dir, link))).toBe(true);
  });
});
