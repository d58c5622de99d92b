import ExcelJS from 'exceljs';
const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: process.argv[3], useSharedStrings: false, useStyles: false });
const reader = new ExcelJS.stream.xlsx.WorkbookReader(process.argv[2], { sharedStrings: 'cache', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore' });
let n = 0;
for await (const ws of reader) {
  const out = writer.addWorksheet('s' + ++n);
  for await (const row of ws) out.addRow(row.values).commit();
  out.commit();
}
await writer.commit();
