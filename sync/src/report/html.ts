/**
 * The office's HTML report: one self-contained page (inline CSS and SVG, no scripts, no fonts or images to
 * fetch) with the dashboard tables and charts of core/dashboard.ts, printable on A4.
 */
import { DASHBOARD_TEXT, dashboardTables, formatYuan, type DashboardCell, type DashboardTable, type StatusSummary } from '../../../core/index.js';

/** One colour per series; also the sheet dashboard's, so the two read alike. */
export const SERIES_COLOURS = ['#9e9e9e', '#42a5f5', '#1e88e5', '#ffb300', '#66bb6a', '#e53935', '#2e7d32', '#8d6e63', '#546e7a'];

const escapeHtml = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function cell(table: DashboardTable, value: DashboardCell, column: number): string {
  const money = table.moneyColumns?.includes(column) && typeof value === 'number';
  const cls = typeof value === 'number' ? ' class="num"' : '';
  return `<td${cls}>${escapeHtml(money ? formatYuan(value) : value)}</td>`;
}

function htmlTable(table: DashboardTable): string {
  const head = `<tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = table.rows.length
    ? table.rows.map((row) => `<tr>${row.map((v, i) => cell(table, v, i)).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${table.header.length}" class="empty">${escapeHtml(table.empty ?? DASHBOARD_TEXT.none)}</td></tr>`;
  return `<table data-table="${table.key}"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

const WIDTH = 680;
const LABEL = 190;

function legend(names: string[], y: number): string {
  let x = LABEL;
  return names
    .map((name, i) => {
      const item = `<rect x="${x}" y="${y}" width="10" height="10" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/><text x="${x + 14}" y="${y + 9}" class="legend">${escapeHtml(name)}</text>`;
      x += 20 + name.length * 12;
      return item;
    })
    .join('');
}

/** Horizontal bars (stacked when there are several series): long Chinese labels read best on the left. */
function barChart(table: DashboardTable, stacked: boolean): string {
  const columns = table.chart!.columns;
  const series = table.header.slice(1, columns);
  const rows = table.rows.map((r) => ({ label: String(r[0]), values: r.slice(1, columns).map((v) => Number(v) || 0) }));
  const max = Math.max(1, ...rows.map((r) => (stacked ? r.values.reduce((a, b) => a + b, 0) : Math.max(...r.values))));
  const top = stacked ? 24 : 6;
  const bar = 18;
  const gap = 8;
  const height = top + rows.length * (bar + gap) + 10;
  const scale = (WIDTH - LABEL - 40) / max;
  const bars = rows
    .map((r, i) => {
      const y = top + i * (bar + gap);
      let x = LABEL;
      const parts = r.values
        .map((v, j) => {
          if (!v) return '';
          const w = v * scale;
          const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${SERIES_COLOURS[j % SERIES_COLOURS.length]}"><title>${escapeHtml(`${r.label} · ${series[j]}：${v}`)}</title></rect>`;
          x += w;
          return rect;
        })
        .join('');
      const total = r.values.reduce((a, b) => a + b, 0);
      return `<text x="${LABEL - 6}" y="${y + 13}" class="label" text-anchor="end">${escapeHtml(r.label)}</text>${parts}<text x="${(x + 4).toFixed(1)}" y="${y + 13}" class="value">${total}</text>`;
    })
    .join('\n');
  return svg(table.chart!.title, height, `${stacked ? legend(series, 4) : ''}${bars}`);
}

function lineChart(table: DashboardTable): string {
  const points = table.rows.map((r) => ({ label: String(r[0]), value: Number(r[1]) || 0 }));
  const height = 200;
  const left = 40;
  const bottom = height - 30;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = points.length > 1 ? (WIDTH - left - 40) / (points.length - 1) : 0;
  const xy = points.map((p, i) => ({ ...p, x: left + 20 + i * step, y: bottom - (p.value / max) * (bottom - 20) }));
  const path = xy.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  const marks = xy
    .map(
      (p) =>
        `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="4" fill="${SERIES_COLOURS[2]}"/><text x="${p.x.toFixed(1)}" y="${(p.y - 8).toFixed(1)}" class="value" text-anchor="middle">${p.value}</text><text x="${p.x.toFixed(1)}" y="${bottom + 18}" class="label" text-anchor="middle">${escapeHtml(p.label)}</text>`,
    )
    .join('');
  const axis = `<line x1="${left}" y1="${bottom}" x2="${WIDTH - 10}" y2="${bottom}" stroke="#999"/>`;
  return svg(
    table.chart!.title,
    height,
    `${axis}${points.length ? `<path d="${path}" fill="none" stroke="${SERIES_COLOURS[2]}" stroke-width="2"/>` : ''}${marks}`,
  );
}

function svg(title: string, height: number, body: string): string {
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="100%">${body}</svg></figure>`;
}

export function chartSvg(table: DashboardTable): string {
  if (!table.chart) return '';
  if (table.chart.kind === 'line') return lineChart(table);
  return barChart(table, table.chart.kind === 'stackedBar');
}

const STYLE = `
@page { size: A4; margin: 15mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif; color: #222; margin: 0 auto; max-width: 186mm; font-size: 10.5pt; }
h1 { font-size: 16pt; margin: 0 0 4px; }
.as-of { color: #555; margin: 0 0 12px; }
section { break-inside: avoid; margin: 0 0 14px; }
h2 { font-size: 12pt; border-left: 4px solid #1e88e5; padding-left: 6px; margin: 12px 0 6px; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: 2px 4px; text-align: left; }
th { background: #ddebf7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.empty { color: #777; }
figure { margin: 6px 0; }
figcaption { font-weight: bold; font-size: 9.5pt; }
svg text { font-size: 11px; fill: #333; }
svg text.legend { font-size: 10px; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
`;

/** The whole page. Text from the registry is escaped; nothing on the page loads anything. */
export function reportHtml(summary: StatusSummary, schoolName: string, today: string): string {
  const sections = dashboardTables(summary)
    .map((t) => `<section id="${t.key}"><h2>${escapeHtml(t.title)}</h2>${chartSvg(t)}${htmlTable(t)}</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(DASHBOARD_TEXT.reportTitle)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(DASHBOARD_TEXT.title(schoolName))}</h1>
<p class="as-of">${escapeHtml(DASHBOARD_TEXT.asOf(today))}</p>
${sections}
</body>
</html>
`;
}
