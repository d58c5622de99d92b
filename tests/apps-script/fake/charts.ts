// Embedded charts: the builder chain of Sheet.newChart() (as bar/line, stacked, ranges, position, title) and the
// charts a sheet holds, so tests can see which charts a rebuild created, updated or duplicated.
import { Fake, type Service } from './calls.js';
import type { FakeRange } from './spreadsheet.js';

export interface ChartState {
  type: 'BAR' | 'LINE' | 'COLUMN' | 'UNSET';
  ranges: FakeRange[];
  options: Record<string, unknown>;
  position: { row: number; column: number };
  numHeaders?: number;
}

let nextChartId = 1;

export class FakeEmbeddedChart extends Fake {
  readonly service: Service = 'spreadsheet';
  readonly kind = 'EmbeddedChart';
  constructor(
    readonly id: number,
    readonly state: ChartState,
  ) {
    super();
  }
  getChartId() {
    return this.id;
  }
  getRanges() {
    return [...this.state.ranges];
  }
  getOptions() {
    const options = this.state.options;
    return { get: (key: string) => options[key] ?? null };
  }
  modify() {
    return new FakeEmbeddedChartBuilder(structuredCloneState(this.state), this.id);
  }
}

function structuredCloneState(s: ChartState): ChartState {
  return {
    type: s.type,
    ranges: [...s.ranges],
    options: { ...s.options },
    position: { ...s.position },
    ...(s.numHeaders === undefined ? {} : { numHeaders: s.numHeaders }),
  };
}

/** One class for EmbeddedChartBuilder and its typed variants: each `as…Chart()` only sets the type. */
export class FakeEmbeddedChartBuilder extends Fake {
  readonly service: Service = 'builder';
  readonly kind = 'EmbeddedChartBuilder';
  constructor(
    readonly state: ChartState = { type: 'UNSET', ranges: [], options: {}, position: { row: 1, column: 1 } },
    readonly id: number | null = null,
  ) {
    super();
  }
  asBarChart() {
    this.state.type = 'BAR';
    return this;
  }
  asLineChart() {
    this.state.type = 'LINE';
    return this;
  }
  asColumnChart() {
    this.state.type = 'COLUMN';
    return this;
  }
  setStacked() {
    this.state.options.isStacked = true;
    return this;
  }
  setTitle(title: string) {
    this.state.options.title = title;
    return this;
  }
  setOption(key: string, value: unknown) {
    this.state.options[key] = value;
    return this;
  }
  addRange(range: FakeRange) {
    this.state.ranges.push(range);
    return this;
  }
  clearRanges() {
    this.state.ranges = [];
    return this;
  }
  setNumHeaders(n: number) {
    this.state.numHeaders = n;
    return this;
  }
  setPosition(row: number, column: number, _offsetX: number, _offsetY: number) {
    this.state.position = { row, column };
    return this;
  }
  build() {
    if (this.state.type === 'UNSET') throw new Error('fake: chart type not set');
    if (!this.state.ranges.length) throw new Error('Charts must have at least one data range.');
    return new FakeEmbeddedChart(this.id ?? nextChartId++, structuredCloneState(this.state));
  }
}
