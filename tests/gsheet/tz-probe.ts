// Run in a child process under a chosen TZ: reads the shared registry's dates and writes one, printing what it saw.
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';

const store = new GsheetRegistryStore(process.argv[2]!);
const data = await store.read();
await store.update((d) => {
  d.projects[0]!.cells.endDate = '2027-02-28';
  return { result: undefined, write: true };
});
process.stdout.write(JSON.stringify(data.projects.map((p) => [p.cells.startDate, p.cells.endDate])));
