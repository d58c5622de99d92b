// Sheets API requests per registry operation for 10 and 5,000 projects: the same small number for both.
import { defaultSettings, headersOf, REGISTRY_SHEETS, settingsRows, type CellValue } from '../core/index.js';
import { addRecords } from '../sync/src/ops/records.js';
import { GSheetRegistryStore } from '../sync/src/stores/gsheet-store.js';
import { startHarness } from '../tests/google/harness.js';

const CATEGORIES = ['订单式人才培养', '培训服务', '科研合作'] as const;

export default async function bench(): Promise<void> {
  for (const n of [10, 5000]) {
    const h = await startHarness();
    try {
      const id = h.emulator.addSpreadsheet(REGISTRY_SHEETS.map((s) => ({ title: s.name, values: [headersOf(s) as (CellValue | null)[]] })));
      const store = new GSheetRegistryStore(id, h.clients);
      const measure = async (label: string, op: () => Promise<unknown>) => {
        h.emulator.resetLog();
        const t = performance.now();
        await op();
        const ms = performance.now() - t;
        const counts = { ...h.emulator.counts() };
        delete counts['oauth.token'];
        console.log(`${String(n).padStart(5)} projects · ${label}: ${h.emulator.apiRequests()} requests ${JSON.stringify(counts)} (${ms.toFixed(0)} ms against the loopback emulator)`);
      };
      await measure('initial load (settings + partners + projects)', () =>
        store.update((data) => {
          data.settings = settingsRows(defaultSettings()).map((cells) => ({ cells: { ...cells } }));
          const partners = Array.from({ length: Math.max(1, Math.ceil(n / 10)) }, (_, i) => ({ name: `合作单位${i}`, kind: '境外机构', contactName: '联系人', integrity: '良好' }));
          const { partnerIds } = addRecords(data, partners, [], new Date('2026-11-24T02:00:00Z'));
          const projects = Array.from({ length: n }, (_, i) => ({
            title: `项目${i}`,
            department: '基础部',
            partnerId: partnerIds[i % partnerIds.length]!,
            category: CATEGORIES[i % CATEGORIES.length]!,
            content: '合作内容',
            startDate: '2027-01-01',
            endDate: '2027-12-31',
            ipOwnership: '学校所有',
            income: i,
            leader: '负责人',
          }));
          addRecords(data, [], projects, new Date('2026-11-24T02:00:00Z'));
          return { result: undefined, write: true };
        }),
      );
      await measure('read (status / validate)', () => store.read());
      await measure('edit one cell', () =>
        store.update((data) => {
          data.projects[Math.floor(n / 2)]!.cells.leader = '新负责人';
          return { result: undefined, write: true };
        }),
      );
      await measure('append 10 projects', () =>
        store.update((data) => {
          const partnerId = String(data.partners[0]!.cells.partnerId);
          addRecords(data, [], Array.from({ length: 10 }, (_, i) => ({ title: `新项目${i}`, department: '基础部', partnerId, category: '培训服务', content: 'x', startDate: '2027-01-01', endDate: '2027-06-30', ipOwnership: '双方共有', leader: '王' })), new Date('2026-11-24T02:00:00Z'));
          return { result: undefined, write: true };
        }),
      );
      await measure('no-op update (nothing changed)', () => store.update((_data) => ({ result: undefined, write: true })));
    } finally {
      await h.emulator.stop();
    }
  }
}
