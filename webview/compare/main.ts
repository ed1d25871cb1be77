// The run comparison table: one row per saved run, the settings that differ between them and
// their final and best metrics (built by table.ts), sortable by any column, exportable as CSV
// through the host; a click (or Enter) on a row asks the host to open that run.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../shared/base.css';
import './compare.css';
import { isHostMessage, type ComparedRun } from '../protocol';
import { custom, h, reportErrors } from '../shared/dom';
import { slug } from '../shared/slug';
import { loadState, post, stateSaver } from '../shared/vscodeApi';
import { comparisonCsv } from './exportCsv';
import { nextSort, sortRows, type SortOrder } from './sort';
import { bestRows, buildComparison, formatCell, type ComparisonColumn, type RunComparison } from './table';

interface CompareState {
  version: 1;
  runs: ComparedRun[];
  sort: SortOrder | null;
}

reportErrors((message) => post({ type: 'error', panel: 'compare', message }));

const loaded = loadState<CompareState>();
const saved = loaded?.version === 1 ? loaded : undefined;
let runs: ComparedRun[] = saved?.runs ?? [];
let sort: SortOrder | null = saved?.sort ?? null;
let comparison: RunComparison = buildComparison(runs);
const saver = stateSaver<CompareState>(() => ({ version: 1, runs, sort }), 0);

const title = h('h1', { attrs: { id: 'title' } });
const exportButton = custom('vscode-button', { id: 'export-csv', secondary: '', icon: 'desktop-download', title: 'Save the table as a CSV file' }, 'Export CSV');
const common = h('p', { class: 'common muted', attrs: { id: 'common' } });
const tableHost = h('section', { class: 'table-host', attrs: { id: 'table' } });
const empty = h('p', { class: 'empty' }, 'No runs to compare: select runs in the SeqModel Runs view and choose “Compare in Table”, or run “SeqModel: Compare Runs in a Table”.');
document.getElementById('app')!.append(h('header', { class: 'toolbar' }, title, h('span', { class: 'spacer' }), exportButton), common, empty, tableHost);

function shownRows() {
  const column = sort ? comparison.columns.find((c) => c.key === sort!.key) : undefined;
  return column && sort ? sortRows(comparison.rows, column, sort.direction) : comparison.rows;
}

function headerCell(column: ComparisonColumn): HTMLTableCellElement {
  const sorted = sort?.key === column.key ? sort.direction : 'none';
  const button = h('button', { class: 'sort', title: `Sort by ${column.label}` }, column.label);
  button.addEventListener('click', () => {
    sort = nextSort(sort, column.key);
    render();
    saver.schedule();
  });
  return h('th', { class: `${column.group} ${column.type}`, attrs: { scope: 'col', 'aria-sort': sorted, 'data-key': column.key } }, button);
}

function openRun(runPath: string): void {
  post({ type: 'openRun', runPath });
}

function render(): void {
  empty.hidden = runs.length > 0;
  tableHost.hidden = runs.length === 0;
  common.hidden = comparison.common.length === 0;
  (exportButton as HTMLElement & { disabled: boolean }).disabled = runs.length === 0;
  title.textContent = runs.length === 1 ? 'Run' : `Compare ${runs.length} runs`;
  common.textContent = `Same in every run: ${comparison.common.map((c) => `${c.label} ${c.value}`).join(' · ')}`;
  if (runs.length === 0) return;
  const best = new Map(comparison.columns.map((c) => [c.key, bestRows(comparison, c)]));
  const body = shownRows().map((row) => {
    const tr = h(
      'tr',
      { title: `Open this run (${row.runPath})`, attrs: { tabindex: '0', 'data-run': row.runPath } },
      ...comparison.columns.map((column) => {
        const isBest = best.get(column.key)!.has(row.runPath);
        const td = h('td', { class: `${column.group} ${column.type}${isBest ? ' best' : ''}`, attrs: { 'data-key': column.key } }, formatCell(row.cells[column.key] ?? null, column));
        if (isBest) td.title = `best ${column.better === 'min' ? '(lowest)' : '(highest)'} of these runs`;
        return td;
      }),
    );
    tr.addEventListener('click', () => openRun(row.runPath));
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        openRun(row.runPath);
      }
    });
    return tr;
  });
  const table = h(
    'table',
    { class: 'compare', attrs: { 'aria-label': 'Runs compared' } },
    h('thead', {}, h('tr', {}, ...comparison.columns.map(headerCell))),
    h('tbody', {}, ...body),
  );
  tableHost.replaceChildren(table);
}

exportButton.addEventListener('click', () => {
  if (runs.length === 0) return;
  const models = [...new Set(runs.map((r) => r.meta.model))].join('-');
  post({ type: 'exportCsv', panel: 'compare', suggestedName: `${slug(models)}-comparison.csv`, content: comparisonCsv(comparison, shownRows()) });
});

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data;
  if (!isHostMessage(message) || message.type !== 'compareRuns') return;
  runs = message.runs;
  comparison = buildComparison(runs);
  // A sort by a column the new runs do not have (a setting they share) is dropped.
  if (sort && !comparison.columns.some((c) => c.key === sort!.key)) sort = null;
  render();
  saver.schedule();
});

render();
post({ type: 'ready', panel: 'compare' });
