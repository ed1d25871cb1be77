// The prediction panel. Forecasting: the input window and the predicted continuation against the
// true values, one sample at a time. Classification: the seed's echo lines (sequence, expected,
// predicted), the class probabilities of the selected sample, and a confusion matrix over the
// validation data.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import 'uplot/dist/uPlot.min.css';
import '../shared/base.css';
import './prediction.css';
import { isHostMessage, type ClassificationPredictions, type ForecastPredictions, type PredictionsMessage } from '../protocol';
import { custom, h, reportErrors } from '../shared/dom';
import { slug } from '../shared/slug';
import { composePng } from '../shared/pngExport';
import { chartTheme, onThemeChange } from '../shared/theme';
import { loadState, post, stateSaver } from '../shared/vscodeApi';
import { argmax, formatPercent, formatValue } from '../../src/language';
import { confusionMatrix } from './confusion';
import { confusionTable } from './confusionView';
import { echoLine, predictedClass } from './echoText';
import { predictionsCsv } from './exportCsv';
import { ForecastChart } from './forecastChart';
import { overallMae, sampleMae } from './forecastSeries';

interface PredictionState {
  version: 1;
  message: PredictionsMessage | null;
  selected: number;
}

/** The echo list shows this many samples; the confusion matrix covers all validation data. */
const MAX_LISTED = 50;

reportErrors((message) => post({ type: 'error', panel: 'prediction', message }));

const saved = loadState<PredictionState>();
let current: PredictionsMessage | null = saved?.message ?? null;
let selected = saved?.selected ?? 0;
const saver = stateSaver<PredictionState>(() => ({ version: 1, message: current, selected }), 0);

const title = h('h1', { attrs: { id: 'title' } });
const exportPng = custom('vscode-button', { id: 'export-png', secondary: '' }, 'Export PNG');
const exportCsv = custom('vscode-button', { id: 'export-csv', secondary: '' }, 'Export CSV');
const empty = h('p', { class: 'empty' }, 'No predictions yet: train a model, then run “SeqModel: Predict”.');
const content = h('div', { class: 'content', attrs: { id: 'content' } });
document.getElementById('app')!.append(h('header', { class: 'toolbar' }, title, h('span', { class: 'spacer' }), exportPng, exportCsv), empty, content);

let forecastChart: ForecastChart | undefined;

function render(): void {
  forecastChart?.clear();
  forecastChart = undefined;
  empty.hidden = current !== null;
  exportPng.hidden = current?.task !== 'forecast';
  exportCsv.hidden = current === null;
  title.textContent = current ? `Predictions: ${current.modelName}` : 'Predictions';
  content.replaceChildren();
  if (!current) return;
  selected = Math.min(Math.max(0, selected), Math.max(0, current.samples.length - 1));
  if (current.task === 'forecast') renderForecast(current);
  else renderClassification(current);
}

// ---- forecasting ---------------------------------------------------------------------------

function renderForecast(message: ForecastPredictions): void {
  const count = message.samples.length;
  const position = h('span', { class: 'position', attrs: { id: 'position' } });
  const previous = custom('vscode-button', { id: 'previous', secondary: '' }, 'Previous');
  const next = custom('vscode-button', { id: 'next', secondary: '' }, 'Next');
  const chartHost = h('div', { class: 'forecast-chart', attrs: { id: 'forecast-chart' } });
  const legend = h(
    'div',
    { class: 'legend' },
    ...['input', 'actual', 'predicted'].map((label, i) => {
      const swatch = h('span', { class: `swatch line${label === 'actual' ? ' dashed' : ''}` });
      swatch.style.setProperty('--swatch', chartTheme().palette[[0, 2, 1][i]]);
      return h('span', { class: 'legend-item' }, swatch, label);
    }),
  );
  const table = h('table', { class: 'plain values', attrs: { id: 'forecast-values' } });
  const mae = overallMae(message.samples);
  // Free `predict` inputs have no truth: the error covers only the samples that do.
  const known = message.samples.filter((s) => s.actual !== null).length;
  const plural = (n: number) => `${n} sample${n === 1 ? '' : 's'}`;
  const overall = h(
    'p',
    { class: 'muted', attrs: { id: 'overall' } },
    Number.isNaN(mae) ? `${plural(count)}, none with known values` : `Mean absolute error over ${plural(known)} with known values: ${formatValue(mae)}`,
  );
  content.append(h('div', { class: 'toolbar nav' }, previous, position, next, h('span', { class: 'spacer' }), legend), chartHost, overall, table);
  forecastChart = new ForecastChart(chartHost);

  const show = () => {
    const sample = message.samples[selected];
    position.textContent = `Sample ${selected + 1} of ${count}`;
    previous.toggleAttribute('disabled', selected === 0);
    next.toggleAttribute('disabled', selected >= count - 1);
    if (!sample) return;
    forecastChart!.show(sample, message.targetFeature, chartTheme());
    const rows = [h('tr', {}, h('th', {}, 'step'), h('th', {}, 'input'), h('th', {}, 'actual'), h('th', {}, 'predicted'), h('th', {}, 'error'))];
    sample.input.forEach((step, i) => rows.push(h('tr', {}, h('td', { class: 'num' }, String(i + 1)), h('td', { class: 'num' }, formatValue(step[Math.min(message.targetFeature, step.length - 1)])), h('td', {}, ''), h('td', {}, ''), h('td', {}, ''))));
    sample.predicted.forEach((value, i) => {
      const actual = sample.actual ? sample.actual[i] : null;
      rows.push(
        h(
          'tr',
          { class: 'forecast-row' },
          h('td', { class: 'num' }, String(sample.input.length + i + 1)),
          h('td', {}, ''),
          h('td', { class: 'num' }, formatValue(actual)),
          h('td', { class: 'num' }, formatValue(value)),
          h('td', { class: 'num' }, actual === null ? '–' : formatValue(value - actual)),
        ),
      );
    });
    const sampleError = sampleMae(sample);
    table.replaceChildren(...rows);
    if (!Number.isNaN(sampleError)) table.append(h('caption', {}, `This sample's mean absolute error: ${formatValue(sampleError)}`));
  };
  previous.addEventListener('click', () => {
    if (selected > 0) selected--;
    show();
    saver.schedule();
  });
  next.addEventListener('click', () => {
    if (selected < count - 1) selected++;
    show();
    saver.schedule();
  });
  // The chart takes its size from the laid-out host: draw once layout has happened.
  requestAnimationFrame(show);
}

// ---- classification ------------------------------------------------------------------------

function renderClassification(message: ClassificationPredictions): void {
  const name = (c: number) => message.classNames?.[c] ?? String(c);
  const listed = message.samples.slice(0, MAX_LISTED);
  const correct = message.samples.filter((s) => s.expected !== null && predictedClass(s) === s.expected).length;
  const known = message.samples.filter((s) => s.expected !== null).length;
  const probabilities = h('section', { class: 'probabilities', attrs: { id: 'probabilities', 'aria-label': 'Class probabilities' } });
  const items = listed.map((sample, i) => {
    const ok = sample.expected === null ? null : predictedClass(sample) === sample.expected;
    const item = h('li', { class: `echo${ok === null ? '' : ok ? ' correct' : ' wrong'}`, attrs: { tabindex: '0', 'data-index': String(i) } }, h('span', { class: 'mark' }, ok === null ? '·' : ok ? '✓' : '✗'), h('code', {}, echoLine(sample, message.classNames)));
    item.addEventListener('click', () => select(i));
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        select(i);
      }
    });
    return item;
  });
  const list = h('ol', { class: 'echo-list', attrs: { id: 'echo-list' } }, ...items);
  const more = message.samples.length > MAX_LISTED ? h('p', { class: 'muted' }, `… and ${message.samples.length - MAX_LISTED} more (all in the CSV export)`) : null;
  const score = known ? h('p', { attrs: { id: 'sample-accuracy' } }, `${correct} of ${known} correct (${formatPercent(correct / known)})`) : null;
  content.append(h('div', { class: 'columns' }, h('div', {}, h('h2', {}, 'Samples'), score, list, more), h('div', {}, h('h2', {}, 'Probabilities'), probabilities)));

  if (message.validation && message.validation.expected.length > 0) {
    const classes = Math.max(0, ...message.samples.map((s) => s.probabilities.length));
    const matrix = confusionMatrix(message.validation.expected, message.validation.predicted, classes || undefined);
    content.append(
      h('h2', {}, 'Confusion matrix (validation data)'),
      h('p', { attrs: { id: 'validation-accuracy' } }, `Accuracy ${formatPercent(matrix.accuracy)}: ${matrix.correct} of ${matrix.total}`),
      confusionTable(matrix, name),
    );
  }

  function select(i: number): void {
    selected = i;
    items.forEach((item, k) => item.classList.toggle('selected', k === i));
    const sample = message.samples[i];
    if (!sample) return;
    const best = argmax(sample.probabilities);
    const bars = sample.probabilities.map((p, c) => {
      const bar = h('span', { class: 'bar' });
      bar.style.setProperty('--p', String(Math.max(0, Math.min(1, p))));
      const classes = ['prob'];
      if (c === best) classes.push('best');
      if (c === sample.expected) classes.push('expected');
      return h('div', { class: classes.join(' '), attrs: { 'data-class': String(c) } }, h('span', { class: 'name' }, name(c)), h('span', { class: 'track' }, bar), h('span', { class: 'num' }, formatPercent(p)));
    });
    probabilities.replaceChildren(h('p', { class: 'mono' }, echoLine(sample, message.classNames)), ...bars);
    saver.schedule();
  }
  if (listed.length) select(Math.min(selected, listed.length - 1));
}

// ---- host messages and exports ---------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data;
  if (!isHostMessage(message) || message.type !== 'predictions') return;
  current = message;
  selected = 0;
  render();
  saver.schedule();
});

exportCsv.addEventListener('click', () => {
  if (!current) return;
  post({ type: 'exportCsv', panel: 'prediction', suggestedName: `${slug(current.modelName)}-predictions.csv`, content: predictionsCsv(current) });
});

exportPng.addEventListener('click', () => {
  const canvas = forecastChart?.canvas;
  if (!canvas || current?.task !== 'forecast') return;
  const theme = chartTheme();
  const legend = [
    { label: 'input', color: theme.palette[0], dash: [] },
    { label: 'actual', color: theme.palette[2], dash: [6, 4] },
    { label: 'predicted', color: theme.palette[1], dash: [] },
  ];
  const dataUrl = composePng(canvas, legend, theme, `${current.modelName}: sample ${selected + 1}`);
  post({ type: 'exportPng', panel: 'prediction', suggestedName: `${slug(current.modelName)}-forecast-${selected + 1}.png`, dataUrl });
});

new ResizeObserver(() => forecastChart?.resize()).observe(content);
onThemeChange(() => render());

render();
post({ type: 'ready', panel: 'prediction' });
