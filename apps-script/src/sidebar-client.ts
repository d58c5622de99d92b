/**
 * The sidebar page's script (runs in the browser; bundled into the page by scripts/build.mjs). It builds the
 * project form from the core schema and 设置, checks it with the core rules before calling the server, and
 * drives 我的待办 and 审批轨迹 — all through google.script.run, nothing else leaves the page.
 */
import { z } from 'zod';
import {
  CATEGORIES,
  PRACTICE_BASE_CATEGORY,
  columnOf,
  parseRow,
  partnersSheet,
  projectsSheet,
  type ColumnSpec,
  type Problem,
  type RawCells,
  type SheetSpec,
} from '../../core/index.js';
import type { DecisionResult, SaveResult, SidebarBoot, SidebarTodo, SidebarTrail } from './sidebar.js';

z.config({ jitless: true });

declare const google: {
  script: {
    // biome-ignore lint/suspicious/noExplicitAny: google.script.run is untyped in the page; each handler call returns the runner again
    run: Record<string, (...args: unknown[]) => void> & { withSuccessHandler(f: (v: unknown) => void): any; withFailureHandler(f: (e: Error) => void): any };
  };
};

const L = {
  paneForm: '新建项目',
  paneTodo: '我的待办',
  paneTrail: '审批轨迹',
  formTitle: '新建合作项目 / 登记合作单位',
  partnerSearch: '合作单位（输入名称搜索）',
  newPartner: '登记新的合作单位',
  partnerLegend: '新合作单位',
  save: '保存为草稿',
  saving: '正在保存……',
  fix: (n: number) => `有 ${n} 处需要修改：`,
  badIntegrity: '该单位诚信状况为「不良」，项目将不能提交审查（第六条）。',
  choose: '请选择',
  loading: '正在读取……',
  refresh: '刷新',
  noTodo: '目前没有等待您审查的项目。',
  notApprover: '您不是任何审查部门的审查人，没有待审查的项目。',
  waiting: (d: number) => `已等待 ${d} 天`,
  approve: (d: string) => `审查通过（${d}）`,
  return: '退回',
  returnReason: '退回原因（必填）',
  confirmReturn: '确认退回',
  officeTitle: '合作交流处：待会议审议与签署',
  next: (n: string) => `下一步：${n}`,
  queued: '已提交，稍后记录：系统约 1 分钟内记入登记表。',
  untrusted: '未通过校验，不计入流程',
  trailFor: '项目编号（留空则取选中行）',
  showTrail: '查看轨迹',
  noEvents: '审批记录中还没有该项目的记录。',
  failed: (m: string) => `操作失败：${m}`,
  user: (u: string) => `当前用户：${u || '（未知）'}`,
} as const;

function call<T>(name: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    google.script.run
      .withSuccessHandler((v: unknown) => resolve(v as T))
      .withFailureHandler((e: Error) => reject(e))
      [name](...args);
  });
}

type Attrs = Record<string, string | boolean | undefined>;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null) node.append(c);
  return node;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------- tabs ----------
const PANES = [
  ['form', L.paneForm],
  ['todo', L.paneTodo],
  ['trail', L.paneTrail],
] as const;

function setupTabs(onShow: (pane: string) => void): void {
  const list = $('tabs');
  const tabs = PANES.map(([id, label], i) =>
    el(
      'button',
      {
        role: 'tab',
        id: `tab-${id}`,
        'aria-controls': `pane-${id}`,
        'aria-selected': i === 0 ? 'true' : 'false',
        tabindex: i === 0 ? '0' : '-1',
        type: 'button',
      },
      label,
    ),
  );
  list.append(...tabs);
  const select = (i: number) => {
    tabs.forEach((t, j) => {
      t.setAttribute('aria-selected', String(i === j));
      t.tabIndex = i === j ? 0 : -1;
      $(`pane-${PANES[j]![0]}`).hidden = i !== j;
    });
    tabs[i]!.focus();
    onShow(PANES[i]![0]);
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => select(i));
    t.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight') select((i + 1) % tabs.length);
      if (e.key === 'ArrowLeft') select((i + tabs.length - 1) % tabs.length);
    });
  });
}

// ---------- form ----------
/** Columns a person fills, in schema order. */
const userColumns = (spec: SheetSpec) => spec.columns.filter((c) => !c.setBy);

function options(column: ColumnSpec, boot: SidebarBoot): readonly string[] | null {
  if (column.list === 'departments') return boot.settings.departments;
  if (column.list === 'majors') return boot.settings.majors;
  if (column.key === 'category') return CATEGORIES;
  return column.enum ?? null;
}

function field(prefix: string, column: ColumnSpec, boot: SidebarBoot): HTMLElement {
  const id = `${prefix}-${column.key}`;
  const choices = options(column, boot);
  let input: HTMLElement;
  const common = { id, name: column.key, 'aria-describedby': `${id}-hint ${id}-error`, required: column.required ? true : undefined };
  if (choices) input = el('select', common, el('option', { value: '' }, L.choose), ...choices.map((o) => el('option', { value: o }, o)));
  else if (column.type === 'longText') input = el('textarea', { ...common, rows: '3' });
  else if (column.type === 'date') input = el('input', { ...common, type: 'date' });
  else if (column.type === 'money') input = el('input', { ...common, type: 'number', min: '0', step: '0.01', inputmode: 'decimal' });
  else if (column.type === 'email') input = el('input', { ...common, type: 'email' });
  else if (column.type === 'phone') input = el('input', { ...common, type: 'tel' });
  else input = el('input', { ...common, type: 'text' });
  return el(
    'div',
    { class: 'field', id: `${id}-field`, 'data-key': column.key },
    el('label', { for: id }, column.header, column.required ? el('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    el('div', { class: 'hint', id: `${id}-hint` }, column.hint ?? ''),
    el('div', { class: 'error', id: `${id}-error`, role: 'alert' }),
  );
}

function readFields(prefix: string, spec: SheetSpec): RawCells {
  const cells: RawCells = {};
  for (const c of userColumns(spec)) {
    const input = document.getElementById(`${prefix}-${c.key}`) as HTMLInputElement | null;
    if (!input || input.closest('[hidden]')) continue;
    const v = input.value.trim();
    cells[c.key] = v === '' ? null : c.type === 'money' ? Number(v) : v;
  }
  return cells;
}

function showProblems(problems: readonly Problem[]): void {
  document.querySelectorAll('.error').forEach((e) => (e.textContent = ''));
  document.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const summary = $('form-problems');
  summary.replaceChildren();
  if (!problems.length) return;
  summary.append(el('p', {}, L.fix(problems.length)), el('ul', {}, ...problems.map((p) => el('li', {}, `${p.column ?? p.sheet}：${p.message}`))));
  let first: HTMLElement | null = null;
  for (const p of problems) {
    const spec = p.sheet === partnersSheet.name ? partnersSheet : projectsSheet;
    const prefix = spec === partnersSheet ? 'pt' : 'pj';
    const column = spec.columns.find((c) => c.header === p.column);
    const key = column?.key === 'partnerId' ? 'partner' : column?.key;
    const input = key ? (document.getElementById(key === 'partner' ? 'pj-partner' : `${prefix}-${key}`) as HTMLElement | null) : null;
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    const err = document.getElementById(`${input.id}-error`);
    if (err) err.textContent = err.textContent ? `${err.textContent}；${p.message}` : p.message;
    first ??= input;
  }
  (first ?? summary).focus();
}

function buildForm(boot: SidebarBoot): void {
  const form = $('project-form');
  const partnerField = el(
    'div',
    { class: 'field', id: 'pj-partner-field' },
    el('label', { for: 'pj-partner' }, L.partnerSearch, el('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    el('input', { id: 'pj-partner', type: 'search', list: 'partner-list', autocomplete: 'off', 'aria-describedby': 'pj-partner-hint pj-partner-error' }),
    el('datalist', { id: 'partner-list' }, ...boot.partners.map((p) => el('option', { value: `${p.name}（${p.partnerId}）` }))),
    el('div', { class: 'hint', id: 'pj-partner-hint' }),
    el('div', { class: 'error', id: 'pj-partner-error', role: 'alert' }),
    el('label', { class: 'inline' }, el('input', { type: 'checkbox', id: 'new-partner' }), L.newPartner),
  );
  const partnerSet = el(
    'fieldset',
    { id: 'partner-fields', hidden: true },
    el('legend', {}, L.partnerLegend),
    ...userColumns(partnersSheet).map((c) => field('pt', c, boot)),
  );
  const fields = userColumns(projectsSheet).filter((c) => c.key !== 'partnerId');
  for (const c of fields) {
    form.append(field('pj', c, boot));
    if (c.key === 'department') form.append(partnerField, partnerSet);
  }
  form.append(
    el('div', { id: 'form-problems', tabindex: '-1', class: 'problems' }),
    el('button', { type: 'submit', id: 'save' }, L.save),
    el('div', { id: 'form-status', role: 'status', 'aria-live': 'polite' }),
  );

  const practice = ['practiceSite', 'qualifiedInstructors'].map((k) => $(`pj-${k}-field`));
  const category = $<HTMLSelectElement>('pj-category');
  const syncPractice = () => practice.forEach((f) => (f.hidden = category.value !== PRACTICE_BASE_CATEGORY));
  category.addEventListener('change', syncPractice);
  syncPractice();
  const newPartner = $<HTMLInputElement>('new-partner');
  const partnerInput = $<HTMLInputElement>('pj-partner');
  newPartner.addEventListener('change', () => {
    partnerSet.hidden = !newPartner.checked;
    partnerInput.disabled = newPartner.checked;
  });
  partnerInput.addEventListener('input', () => {
    const chosen = partnerOf(boot, partnerInput.value);
    $('pj-partner-hint').textContent = chosen ? `${chosen.partnerId}${chosen.integrity === '不良' ? `。${L.badIntegrity}` : ''}` : '';
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void save(boot);
  });
}

function partnerOf(boot: SidebarBoot, text: string) {
  const value = text.trim();
  const id = /（(P\d+)）$/.exec(value)?.[1] ?? (/^P\d+$/.test(value) ? value : null);
  return boot.partners.find((p) => (id ? p.partnerId === id : p.name === value)) ?? null;
}

async function save(boot: SidebarBoot): Promise<void> {
  const project = readFields('pj', projectsSheet);
  const registering = $<HTMLInputElement>('new-partner').checked;
  const partner = registering ? readFields('pt', partnersSheet) : null;
  const problems: Problem[] = [];
  if (!registering) {
    const chosen = partnerOf(boot, $<HTMLInputElement>('pj-partner').value);
    if (!chosen)
      problems.push({
        sheet: projectsSheet.name,
        column: columnOf(projectsSheet, 'partnerId').header,
        rule: '必填',
        message: '请从列表中选择合作单位，或勾选「登记新的合作单位」',
      });
    else project.partnerId = chosen.partnerId;
  } else {
    const p = parseRow(partnersSheet, partner!, boot.settings);
    if (!p.ok) problems.push(...p.problems);
  }
  const parsed = parseRow(projectsSheet, { ...project, partnerId: project.partnerId ?? 'P0000' }, boot.settings);
  if (!parsed.ok) problems.push(...parsed.problems.filter((p) => p.column !== '合作单位编号'));
  showProblems(problems);
  if (problems.length) return;
  const status = $('form-status');
  const button = $<HTMLButtonElement>('save');
  button.disabled = true;
  status.textContent = L.saving;
  try {
    const result = await call<SaveResult>('sidebarSaveProject', { project, partner });
    if (!result.ok) {
      showProblems(result.problems);
      status.textContent = result.problems.length ? '' : result.message;
      return;
    }
    status.replaceChildren(el('strong', { id: 'new-id' }, result.projectId), ' ', result.message);
    ($('project-form') as HTMLFormElement).reset();
    $('partner-fields').hidden = true;
    $<HTMLInputElement>('pj-partner').disabled = false;
    boot.partners = (await call<SidebarBoot>('sidebarBootData')).partners;
    $('partner-list').replaceChildren(...boot.partners.map((p) => el('option', { value: `${p.name}（${p.partnerId}）` })));
  } catch (e) {
    status.textContent = L.failed((e as Error).message);
  } finally {
    button.disabled = false;
  }
}

// ---------- 我的待办 ----------
async function loadTodo(): Promise<void> {
  const pane = $('todo-list');
  pane.replaceChildren(el('p', {}, L.loading));
  const todo = await call<SidebarTodo>('sidebarTodoData');
  const items = todo.reviews.map((w) => {
    const card = el(
      'li',
      { class: 'card', 'data-project': w.projectId },
      el('div', { class: 'card-head' }, el('strong', {}, w.projectId), ' ', w.title),
      el('div', { class: 'meta' }, `${w.department} · ${w.category} · `, el('span', { class: 'days' }, L.waiting(w.days))),
    );
    // Decided already and waiting for the owner's trigger: say so rather than offer the buttons again.
    if (w.queued) {
      card.classList.add('done');
      card.append(el('div', { class: 'result', role: 'status' }, L.queued));
      return card;
    }
    const actions = el('div', { class: 'actions' });
    for (const d of w.mine) {
      const b = el('button', { type: 'button', class: 'approve' }, L.approve(d));
      b.addEventListener('click', () => void decide(card, { projectId: w.projectId, decision: 'approve', department: d }));
      actions.append(b);
    }
    const ret = el('button', { type: 'button', class: 'return', 'aria-expanded': 'false' }, L.return);
    const reasonId = `reason-${w.projectId}`;
    const form = el(
      'div',
      { class: 'return-form', hidden: true },
      el('label', { for: reasonId }, L.returnReason),
      el('textarea', { id: reasonId, rows: '2' }),
      el('button', { type: 'button', class: 'confirm-return' }, L.confirmReturn),
    );
    ret.addEventListener('click', () => {
      form.hidden = !form.hidden;
      ret.setAttribute('aria-expanded', String(!form.hidden));
      if (!form.hidden) ($(reasonId) as HTMLTextAreaElement).focus();
    });
    form
      .querySelector('.confirm-return')!
      .addEventListener('click', () => void decide(card, { projectId: w.projectId, decision: 'return', reason: ($(reasonId) as HTMLTextAreaElement).value }));
    actions.append(ret);
    card.append(actions, form, el('div', { class: 'result', role: 'status', 'aria-live': 'polite' }));
    return card;
  });
  const blocks: HTMLElement[] = [];
  blocks.push(items.length ? el('ul', { class: 'cards' }, ...items) : el('p', { class: 'empty' }, todo.departments.length ? L.noTodo : L.notApprover));
  if (todo.office) {
    blocks.push(
      el('h3', {}, L.officeTitle),
      todo.office.length
        ? el(
            'ul',
            { class: 'cards' },
            ...todo.office.map((w) =>
              el(
                'li',
                { class: 'card', 'data-project': w.projectId },
                el('div', { class: 'card-head' }, el('strong', {}, w.projectId), ' ', w.title),
                el('div', { class: 'meta' }, `${w.status} · ${L.next(w.next)} · `, el('span', { class: 'days' }, L.waiting(w.days))),
              ),
            ),
          )
        : el('p', { class: 'empty' }, '（无）'),
    );
  }
  pane.replaceChildren(...blocks);
}

async function decide(card: HTMLElement, request: Record<string, string>): Promise<void> {
  const result = card.querySelector('.result')!;
  card.querySelectorAll('button').forEach((b) => ((b as HTMLButtonElement).disabled = true));
  try {
    const r = await call<DecisionResult>('sidebarDecision', request);
    result.textContent = r.message;
    card.classList.toggle('done', r.ok);
    card.classList.toggle('queued', !!r.queued);
    // Accepted and on its way: nothing is left to decide on this card.
    if (r.queued) card.querySelectorAll('.actions, .return-form').forEach((e) => e.remove());
    if (!r.ok) card.querySelectorAll('button').forEach((b) => ((b as HTMLButtonElement).disabled = false));
  } catch (e) {
    result.textContent = L.failed((e as Error).message);
    card.querySelectorAll('button').forEach((b) => ((b as HTMLButtonElement).disabled = false));
  }
}

// ---------- 审批轨迹 ----------
async function loadTrail(): Promise<void> {
  const out = $('trail-out');
  out.replaceChildren(el('p', {}, L.loading));
  const id = $<HTMLInputElement>('trail-id').value.trim();
  const trail = await call<SidebarTrail | { message: string }>('sidebarTrailData', id || null);
  if (!('events' in trail)) {
    out.replaceChildren(el('p', { class: 'empty' }, trail.message));
    return;
  }
  const events = trail.events.map((e) =>
    el(
      'li',
      { class: `event action-${e.action}${e.trusted ? '' : ' untrusted'}` },
      el('div', { class: 'when' }, e.time),
      el('div', { class: 'what' }, el('strong', {}, e.action), e.body ? ` · ${e.body}` : '', e.toStatus ? ` → ${e.toStatus}` : ''),
      el('div', { class: 'who' }, e.actor),
      e.remark ? el('div', { class: 'remark' }, e.remark) : null,
      e.trusted ? null : el('div', { class: 'untrusted-note' }, L.untrusted),
    ),
  );
  out.replaceChildren(
    el('h3', {}, `${trail.projectId} ${trail.title}`),
    el('p', { class: 'meta' }, `状态：${trail.status}`),
    el('p', { class: `chain chain-${trail.chain.state}` }, trail.chain.message),
    events.length ? el('ol', { class: 'timeline' }, ...events) : el('p', { class: 'empty' }, L.noEvents),
  );
}

async function start(): Promise<void> {
  const boot = await call<SidebarBoot>('sidebarBootData');
  $('user').textContent = L.user(boot.user);
  $('form-title').textContent = L.formTitle;
  buildForm(boot);
  $('trail-id-label').textContent = L.trailFor;
  $('trail-show').textContent = L.showTrail;
  $('todo-refresh').textContent = L.refresh;
  $('trail-show').addEventListener('click', () => void loadTrail().catch((e: Error) => ($('trail-out').textContent = L.failed(e.message))));
  $('todo-refresh').addEventListener('click', () => void loadTodo().catch((e: Error) => ($('todo-list').textContent = L.failed(e.message))));
  setupTabs((pane) => {
    if (pane === 'todo') void loadTodo().catch((e: Error) => ($('todo-list').textContent = L.failed(e.message)));
    if (pane === 'trail') void loadTrail().catch((e: Error) => ($('trail-out').textContent = L.failed(e.message)));
  });
  // Approvers with work waiting land on 我的待办.
  if (boot.departments.length && !boot.office) ($('tab-todo') as HTMLButtonElement).click();
  document.body.dataset.ready = 'true';
}

void start().catch((e: Error) => {
  document.body.textContent = L.failed(e.message);
  document.body.dataset.ready = 'error';
});
