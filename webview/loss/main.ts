// The loss panel: runs' loss and metrics per epoch, live, overlaid for comparison, with log
// scale, TensorBoard smoothing, a hover readout and PNG/CSV export. Messages from the host
// update the store; drawing is coalesced to one redraw per animation frame, so a fast run
// (hundreds of epochs a second on the course's toy data) costs one setData per frame, not per epoch.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import 'uplot/dist/uPlot.min.css';
import '../shared/base.css';
import './loss.css';
import { isHostMessage, type HostToWebview } from '../protocol';
import { custom, h, reportErrors } from '../shared/dom';
import { formatValue } from '../../src/language';
import { slug } from '../shared/slug';
import { composePng } from '../shared/pngExport';
import { chartTheme, onThemeChange } from '../shared/theme';
import { loadState, post, stateSaver, writeState } from '../shared/vscodeApi';
import { runsCsv } from './exportCsv';
import { LossChart, type SeriesInfo, type ZoomRange } from './lossChart';
import { RunStore } from './runStore';
import { saveRuns, savedToRecord, type SavedRun } from './stateCodec';

interface LossState {
  version: 2;
  runs: SavedRun[];
  smoothing: number;
  logScale: boolean;
  hidden: string[];
  zoom?: ZoomRange | null;
}

const DEFAULT_SMOOTHING = 0.6;

reportErrors((message) => post({ type: 'error', panel: 'loss', message }));

const loaded = loadState<LossState>();
// An older or foreign state shape is ignored rather than half-restored.
const saved = loaded?.version === 2 ? loaded : undefined;
const state = {
  logScale: saved?.logScale ?? false,
  hidden: new Set(saved?.hidden ?? []),
};
const store = new RunStore(saved?.smoothing ?? DEFAULT_SMOOTHING);
for (const run of saved?.runs ?? []) store.load(savedToRecord(run));
// Two savers over VS Code's single state slot. Encoding the runs is the bulky part (up to ~12 M
// characters), so it is debounced; the view settings are a few bytes and are written at once with
// the runs as last encoded, so a reload right after a click keeps it. Until the first debounced
// save the last encoding is the restored one: a view change must not drop restored runs.
let encodedRuns: SavedRun[] = saved?.runs ?? [];
const snapshot = (): LossState => ({
  version: 2,
  runs: encodedRuns,
  smoothing: store.smoothingWeight,
  logScale: state.logScale,
  hidden: [...state.hidden],
  zoom: chart.zoom,
});
const saver = stateSaver<LossState>(() => {
  encodedRuns = saveRuns(store);
  return snapshot();
});
function saveView(): void {
  writeState(snapshot());
}

// ---- page structure -----------------------------------------------------------------------

const logScale = custom('vscode-checkbox', { id: 'log-scale', label: 'Log scale' }) as HTMLElement & { checked: boolean };
logScale.checked = state.logScale;
const smoothingInput = h('input', {
  attrs: { id: 'smoothing', type: 'range', min: '0', max: '0.999', step: '0.001', 'aria-label': 'Smoothing' },
});
smoothingInput.value = String(store.smoothingWeight);
const smoothingOutput = h('output', { attrs: { for: 'smoothing', id: 'smoothing-value' } });
const resetZoom = custom('vscode-button', { id: 'reset-zoom', secondary: '', title: 'Or double-click the chart' }, 'Show all epochs');
resetZoom.hidden = true;
const exportPng = custom('vscode-button', { id: 'export-png', secondary: '' }, 'Export PNG');
const exportCsv = custom('vscode-button', { id: 'export-csv', secondary: '' }, 'Export CSV');
const toolbar = h(
  'header',
  { class: 'toolbar' },
  logScale,
  h('label', { class: 'smoothing', attrs: { for: 'smoothing' } }, 'Smoothing'),
  smoothingInput,
  smoothingOutput,
  h('span', { class: 'spacer' }),
  resetZoom,
  exportPng,
  exportCsv,
);
const runList = h('section', { class: 'runs', attrs: { 'aria-label': 'Runs' } });
const empty = h('p', { class: 'empty' }, 'No training runs yet. Use “SeqModel: Train model” to start one.');
const chartHost = h('div', { class: 'chart', attrs: { id: 'chart' } });
const readoutTitle = h('caption', { class: 'readout-title' });
const readoutBody = h('tbody');
const readout = h(
  'table',
  { class: 'readout', attrs: { id: 'readout' } },
  readoutTitle,
  h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Series'), h('th', {}, 'Smoothed'), h('th', {}, 'Value'))),
  readoutBody,
);
document.getElementById('app')!.append(toolbar, runList, empty, chartHost, readout);

// ---- chart, readout and run list ------------------------------------------------------------

let hoverEpoch: number | null = null;
const chart = new LossChart(
  chartHost,
  store,
  (epoch) => {
    hoverEpoch = epoch;
    updateReadout();
  },
  (range) => {
    resetZoom.hidden = range === null;
    publishStats();
    saveView();
  },
);
chart.setZoom(saved?.zoom ?? null);

/** Per run: the status text node, updated in place each epoch. */
const runStatus = new Map<string, { status: HTMLElement; stop: HTMLElement }>();

function rebuildRunList(): void {
  runStatus.clear();
  const theme = chartTheme();
  const rows = [...store.runs.values()].map((run, i) => {
    const swatch = h('span', { class: 'swatch' });
    swatch.style.setProperty('--swatch', theme.palette[i % theme.palette.length]);
    const status = h('span', { class: 'status' });
    const stop = custom('vscode-button', { class: 'stop', secondary: '', 'data-run': run.runId }, 'Stop');
    stop.addEventListener('click', () => post({ type: 'stop', runId: run.runId }));
    runStatus.set(run.runId, { status, stop });
    // Which path trains each recurrent layer (fused kernel or tfjs layers) and why: on a line
    // of its own under the run, one entry per layer.
    const paths = run.paths?.length
      ? h('ul', { class: 'paths', attrs: { 'aria-label': `${run.label}: training path per layer` } }, ...run.paths.map((p) => h('li', { attrs: { 'data-path': p.path } }, p.text)))
      : null;
    return h(
      'div',
      { class: 'run', attrs: { 'data-run': run.runId } },
      swatch,
      h('span', { class: 'label' }, run.label),
      h('span', { class: 'detail' }, `${run.settings.optimizer.name}, ${run.settings.loss}, ${run.backend}`),
      status,
      stop,
      ...(paths ? [paths] : []),
    );
  });
  runList.replaceChildren(...rows);
  updateRunStatus();
}

function updateRunStatus(): void {
  for (const run of store.runs.values()) {
    const row = runStatus.get(run.runId);
    if (!row) continue;
    const progress = `epoch ${run.epochCount}/${run.settings.epochs}`;
    row.status.textContent = run.status === 'running' ? `running · ${progress}` : `${run.status} · ${progress}${run.error ? `: ${run.error}` : ''}`;
    row.status.dataset.status = run.status;
    row.stop.hidden = run.status !== 'running';
  }
  empty.hidden = store.runs.size > 0;
}

/** Legend rows, rebuilt with the chart; values refreshed on hover and on each epoch. */
let readoutRows: { series: SeriesInfo; smoothed: HTMLElement; value: HTMLElement; row: HTMLElement }[] = [];

function rebuildReadout(): void {
  readoutRows = chart.seriesInfo.map((series) => {
    const swatch = h('span', { class: 'swatch line' });
    swatch.style.setProperty('--swatch', series.color);
    if (series.dash.length) swatch.classList.add(series.dash.length > 2 ? 'dashdot' : series.dash[0] < 3 ? 'dotted' : 'dashed');
    const smoothed = h('td', { class: 'num smoothed' });
    const value = h('td', { class: 'num value' });
    const row = h('tr', { attrs: { 'data-series': series.id, tabindex: '0', title: 'Click to show or hide' } }, h('td', {}, swatch), h('td', {}, `${series.run.label} ${series.key}`), smoothed, value);
    row.classList.toggle('hidden', state.hidden.has(series.id));
    const toggle = () => {
      const visible = state.hidden.has(series.id);
      if (visible) state.hidden.delete(series.id);
      else state.hidden.add(series.id);
      row.classList.toggle('hidden', !visible);
      chart.setVisible(series.id, visible);
      saveView();
    };
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle();
      }
    });
    return { series, smoothed, value, row };
  });
  readoutBody.replaceChildren(...readoutRows.map((r) => r.row));
  updateReadout();
}

function updateReadout(): void {
  // Not hovering: the latest epoch, so the table doubles as a live status.
  const epoch = hoverEpoch ?? store.maxEpochs;
  readoutTitle.textContent = epoch > 0 ? `Epoch ${epoch}${hoverEpoch === null ? ' (latest)' : ''}` : 'Epoch –';
  const smoothing = store.smoothingWeight > 0;
  for (const { series, smoothed, value } of readoutRows) {
    // Each run at its own last epoch when not hovering: runs of different lengths.
    const i = (hoverEpoch ?? series.column.length) - 1;
    const inRange = i >= 0 && i < series.column.length;
    value.textContent = formatValue(inRange ? series.column.values[i] : NaN);
    smoothed.textContent = smoothing ? formatValue(inRange ? series.column.smoothed[i] : NaN) : '';
  }
  readout.classList.toggle('no-smoothing', !smoothing);
}

function publishStats(): void {
  const { series, axes, points, epochs, ms } = chart.stats;
  chartHost.dataset.series = String(series);
  chartHost.dataset.axes = axes;
  chartHost.dataset.points = String(points);
  chartHost.dataset.epochs = String(epochs);
  chartHost.dataset.drawMs = ms.toFixed(2);
  chartHost.dataset.smoothing = String(store.smoothingWeight);
  chartHost.dataset.logScale = String(state.logScale);
  const zoom = chart.zoom;
  chartHost.dataset.zoom = zoom ? `${zoom.from + 1}-${zoom.to}` : '';
}

// Rendering is batched per animation frame: `structural` work (new series, theme, log scale)
// rebuilds the plot, anything else only hands it new data.
let pending: 'none' | 'redraw' | 'rebuild' = 'none';
function schedule(kind: 'redraw' | 'rebuild'): void {
  const wasPending = pending !== 'none';
  if (kind === 'rebuild' || pending === 'none') pending = kind;
  if (wasPending) return;
  requestAnimationFrame(render);
}

function render(): void {
  const kind = pending;
  pending = 'none';
  if (kind === 'rebuild') {
    chart.rebuild({ logScale: state.logScale, hidden: state.hidden, theme: chartTheme() });
    rebuildRunList();
    rebuildReadout();
  } else {
    chart.redraw();
    updateRunStatus();
    updateReadout();
  }
  publishStats();
}

// ---- host messages -------------------------------------------------------------------------

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'runStarted': {
      store.start(message);
      schedule('rebuild');
      break;
    }
    case 'epoch': {
      const change = store.addEpoch(message.runId, message.epoch, message.logs);
      schedule(change.structural ? 'rebuild' : 'redraw');
      break;
    }
    case 'epochs': {
      let structural = false;
      for (const { epoch, logs } of message.epochs) structural = store.addEpoch(message.runId, epoch, logs).structural || structural;
      schedule(structural ? 'rebuild' : 'redraw');
      break;
    }
    case 'runEnded': {
      store.end(message.runId, message.status, message.error);
      schedule('redraw');
      break;
    }
    case 'loadRuns': {
      if (message.replace) {
        store.clear();
        chart.setZoom(null);
      }
      for (const run of message.runs) store.load(run);
      schedule('rebuild');
      break;
    }
    case 'clearRuns': {
      store.clear();
      chart.setZoom(null);
      schedule('rebuild');
      break;
    }
    default:
      // Prediction and summary messages are for the other panels.
      return;
  }
  saver.schedule();
}

window.addEventListener('message', (event: MessageEvent) => {
  if (isHostMessage(event.data)) handle(event.data);
});

// ---- controls ------------------------------------------------------------------------------

function showSmoothing(): void {
  smoothingOutput.textContent = store.smoothingWeight.toFixed(3);
}

smoothingInput.addEventListener('input', () => {
  const before = store.smoothingWeight;
  const weight = Math.min(0.999, Math.max(0, Number(smoothingInput.value)));
  store.setSmoothing(weight);
  showSmoothing();
  // Switching smoothing on or off adds or removes the faded raw curves: a rebuild.
  schedule((before > 0) !== (weight > 0) ? 'rebuild' : 'redraw');
  saveView();
});

logScale.addEventListener('change', () => {
  state.logScale = logScale.checked;
  schedule('rebuild');
  saveView();
});

function exportName(ext: string): string {
  const labels = [...store.runs.values()].map((r) => r.label);
  return `${slug(labels.length ? labels.join('-vs-') : 'loss')}-loss.${ext}`;
}

resetZoom.addEventListener('click', () => chart.setZoom(null));

exportCsv.addEventListener('click', () => {
  post({ type: 'exportCsv', panel: 'loss', suggestedName: exportName('csv'), content: runsCsv(store) });
});

exportPng.addEventListener('click', () => {
  const canvas = chart.canvas;
  if (!canvas) return;
  const legend = chart.seriesInfo
    .filter((s) => !state.hidden.has(s.id))
    .map((s) => ({ label: `${s.run.label} ${s.key}`, color: s.color, dash: s.dash }));
  const title = `Loss${store.smoothingWeight > 0 ? ` (smoothing ${store.smoothingWeight.toFixed(2)})` : ''}`;
  post({ type: 'exportPng', panel: 'loss', suggestedName: exportName('png'), dataUrl: composePng(canvas, legend, chartTheme(), title) });
});

new ResizeObserver(() => {
  chart.resize();
  publishStats();
}).observe(chartHost);
onThemeChange(() => schedule('rebuild'));

showSmoothing();
schedule('rebuild');
post({ type: 'ready', panel: 'loss' });
