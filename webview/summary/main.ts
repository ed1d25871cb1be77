// The summary panel: Keras's model.summary() table and a diagram of the layers. The host sends
// the analysed model (`summary`) whenever the document changes; clicking a layer asks the host
// to reveal its line in the editor.
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '../shared/base.css';
import './summary.css';
import { summaryRows, summaryTable, summaryTotals, type LayerInfo, type ModelInfo } from '../../src/language';
import { isHostMessage } from '../protocol';
import { custom, h, reportErrors } from '../shared/dom';
import { loadState, post, stateSaver } from '../shared/vscodeApi';
import { layerDiagram } from './diagram';

interface SummaryState {
  version: 1;
  model: ModelInfo | null;
  showText: boolean;
}

reportErrors((message) => post({ type: 'error', panel: 'summary', message }));

const saved = loadState<SummaryState>();
let model: ModelInfo | null = saved?.model ?? null;
let showText = saved?.showText ?? false;
const saver = stateSaver<SummaryState>(() => ({ version: 1, model, showText }), 0);

const title = h('h1', { attrs: { id: 'title' } });
const warning = h('p', { class: 'warning', attrs: { id: 'warning' } }, 'This model has errors: shapes and counts below may be wrong.');
const textToggle = custom('vscode-checkbox', { id: 'show-text', label: 'Show as text' }) as HTMLElement & { checked: boolean };
textToggle.checked = showText;
const tableHost = h('section', { class: 'table', attrs: { id: 'table' } });
const totals = h('div', { class: 'totals mono', attrs: { id: 'totals' } });
const text = h('pre', { class: 'summary-text', attrs: { id: 'summary-text' } });
const diagramHost = h('section', { class: 'diagram-host', attrs: { id: 'diagram', 'aria-label': 'Layer diagram' } });
const empty = h('p', { class: 'empty' }, 'No model yet: open a .seqmodel file and run “SeqModel: Show model summary”.');
const columns = h('div', { class: 'columns' }, h('div', { class: 'left' }, tableHost, text, totals), h('div', { class: 'right' }, h('h2', {}, 'Layers'), diagramHost));
document.getElementById('app')!.append(h('header', { class: 'toolbar' }, title, h('span', { class: 'spacer' }), textToggle), warning, empty, columns);

function reveal(layer: LayerInfo): void {
  post({ type: 'reveal', start: layer.span.start, end: layer.span.end });
}

/**
 * Column widths in proportion to their longest text: the table cells clip with an ellipsis, and
 * "batch_normalization (BatchNormalization)" needs far more room than its "Param #".
 */
function columnWidths(model: ModelInfo): string[] {
  const rows = summaryRows(model);
  // Shapes are monospaced (wider per character); the minimums fit the header texts.
  const weights = [
    Math.max(14, ...rows.map((r) => r.layer.length)) + 3,
    (Math.max(12, ...rows.map((r) => r.outputShape.length)) + 3) * 1.15,
    Math.max(8, ...rows.map((r) => r.params.length)) + 3,
  ];
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => `${((w / sum) * 100).toFixed(1)}%`);
}

function render(): void {
  empty.hidden = model !== null;
  columns.hidden = model === null;
  warning.hidden = model === null || model.valid;
  title.textContent = model ? `Model: "${model.name}"` : 'Model summary';
  if (!model) return;
  const rows = summaryRows(model).map((row) => {
    const tableRow = custom(
      'vscode-table-row',
      { 'data-layer': row.info.name, title: row.info.formula },
      custom('vscode-table-cell', {}, row.layer),
      custom('vscode-table-cell', { class: 'mono' }, row.outputShape),
      custom('vscode-table-cell', { class: 'num' }, row.params),
    );
    tableRow.addEventListener('click', () => reveal(row.info));
    return tableRow;
  });
  const table = custom(
    'vscode-table',
    { zebra: '', 'bordered-rows': '', resizable: '', columns: JSON.stringify(columnWidths(model)) },
    custom(
      'vscode-table-header',
      { slot: 'header' },
      custom('vscode-table-header-cell', {}, 'Layer (type)'),
      custom('vscode-table-header-cell', {}, 'Output Shape'),
      custom('vscode-table-header-cell', {}, 'Param #'),
    ),
    custom('vscode-table-body', { slot: 'body' }, ...rows),
  );
  tableHost.replaceChildren(table);
  totals.replaceChildren(...summaryTotals(model).map((line) => h('div', {}, line)));
  text.textContent = summaryTable(model);
  tableHost.hidden = showText;
  text.hidden = !showText;
  totals.hidden = showText;
  diagramHost.replaceChildren(layerDiagram(model, reveal));
}

textToggle.addEventListener('change', () => {
  showText = textToggle.checked;
  render();
  saver.schedule();
});

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data;
  if (!isHostMessage(message) || message.type !== 'summary') return;
  model = message.model;
  render();
  saver.schedule();
});

render();
post({ type: 'ready', panel: 'summary' });
