// The SeqModel Playground page: monaco-editor on a .seqmodel file with the extension's grammar
// and language server, the summary panel beside it, and the toolbar (examples, share link,
// download, Export to Keras, theme). See docs/playground.md.
import * as monaco from 'monaco-editor/editor/editor.api';
import './page.css';
import examples, { exampleData } from 'seqmodel:examples';
import { analyze, type Analysis, type ModelInfo } from '../../src/language';
import { exportKeras } from '../../src/language';
import { modelAt } from '../../src/language';
import type { WebviewToHost } from '../protocol';
import { themes, type ThemeName } from '../shared/vscodeThemes';
import { defineEditorThemes, EDITOR_THEMES } from './editorThemes';
import { startLanguageServer } from './languageClient';
import { languageConfiguration } from './languageConfiguration';
import { PanelFrame } from './panels';
import { decodeShare, encodeShare } from './share';
import { grammarTokens, loadGrammar } from './textmate';
import { PlaygroundTrainer } from './training';

const LANGUAGE = 'seqmodel';
const FIRST_EXAMPLE = 'forecast.seqmodel';
/** As the extension's summary panel: re-analyse after a pause in typing. */
const SUMMARY_DEBOUNCE_MS = 300;
const THEME_KEY = 'seqmodel-playground-theme';

/** dist/playground/: every file the page loads sits beside this bundle. */
const base = new URL('./', import.meta.url);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusLine = $<HTMLParagraphElement>('status');

function say(text: string, error = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', error);
}

// ---- editor ------------------------------------------------------------------------------

// monaco's own worker (word-based features, diffing); the language server has its own below.
Object.assign(globalThis, {
  MonacoEnvironment: { getWorker: () => new Worker(new URL('editor.worker.js', base), { name: 'monaco-editor-worker' }) },
});

monaco.languages.register({ id: LANGUAGE, extensions: ['.seqmodel'], aliases: ['SeqModel', 'seqmodel'] });
monaco.languages.setLanguageConfiguration(LANGUAGE, languageConfiguration());
defineEditorThemes();

let themeName: ThemeName = (localStorage.getItem(THEME_KEY) as ThemeName | null) ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
if (themeName !== 'light' && themeName !== 'dark') themeName = 'light';

let fileName = FIRST_EXAMPLE;
const model = monaco.editor.createModel(examples[FIRST_EXAMPLE] ?? '', LANGUAGE, monaco.Uri.parse('file:///playground/model.seqmodel'));
const editor = monaco.editor.create($('editor'), {
  model,
  theme: themeName === 'dark' ? EDITOR_THEMES.dark : EDITOR_THEMES.light,
  automaticLayout: true,
  minimap: { enabled: false },
  inlayHints: { enabled: 'on' },
  fixedOverflowWidgets: true,
  fontSize: 14,
  scrollBeyondLastLine: false,
  'semanticHighlighting.enabled': false,
});

// The grammar arrives a moment after the editor (a fetch and a wasm compile); until then the
// text shows plain, and is already editable.
loadGrammar(base).then(
  (grammar) => monaco.languages.setTokensProvider(LANGUAGE, grammarTokens(grammar)),
  (error) => say(`Highlighting is off: ${error instanceof Error ? error.message : String(error)}`, true),
);

startLanguageServer(new URL('server.js', base), (message) => say(message, true));

// ---- summary panel -----------------------------------------------------------------------

const panelsHost = $('panels');
const summary = new PanelFrame('summary', base, 'Model summary', onPanelMessage);
panelsHost.append(summary.frame);

let shownModel: string | undefined;
let summaryTimer: ReturnType<typeof setTimeout> | undefined;

function analysis(): Analysis {
  return analyze(model.getValue());
}

/** The model under the cursor, else the one shown, else the first. */
function currentModel(a: Analysis): ModelInfo | undefined {
  const position = editor.getPosition();
  const atCursor = position ? modelAt(a, model.getOffsetAt(position)) : undefined;
  return atCursor ?? a.models.find((m) => m.name === shownModel) ?? a.models[0];
}

function refreshSummary(name?: string): void {
  const a = analysis();
  const target = name !== undefined ? a.models.find((m) => m.name === name) : currentModel(a);
  // A model renamed or deleted mid-edit keeps its last summary until it is back (as in VS Code).
  if (!target) return;
  shownModel = target.name;
  summary.post({ type: 'summary', model: target });
}

function scheduleSummary(): void {
  if (summaryTimer !== undefined) clearTimeout(summaryTimer);
  summaryTimer = setTimeout(() => {
    summaryTimer = undefined;
    refreshSummary();
  }, SUMMARY_DEBOUNCE_MS);
}

model.onDidChangeContent(scheduleSummary);
editor.onDidChangeCursorPosition(scheduleSummary);

function onPanelMessage(message: WebviewToHost): void {
  if (message.type === 'reveal') {
    const start = model.getPositionAt(message.start);
    const end = model.getPositionAt(message.end);
    const range = monaco.Range.fromPositions(start, end);
    editor.setSelection(range);
    editor.revealRangeInCenterIfOutsideViewport(range);
    editor.focus();
  } else if (message.type === 'stop') {
    trainer.stop();
  } else if (message.type === 'error') {
    say(`The ${message.panel} panel failed: ${message.message}`, true);
  }
}

// ---- training ----------------------------------------------------------------------------

/** Data files the user gave the page (picker or drop), by file name. */
const dataFiles = new Map<string, string>();
let trainingPanels: { loss: PanelFrame; prediction: PanelFrame } | undefined;
const trainButton = $<HTMLButtonElement>('train');
const stopButton = $<HTMLButtonElement>('stop');

const trainer = new PlaygroundTrainer({
  base,
  say,
  panels() {
    if (!trainingPanels) {
      trainingPanels = {
        loss: new PanelFrame('loss', base, 'Training loss', onPanelMessage),
        prediction: new PanelFrame('prediction', base, 'Predictions', onPanelMessage),
      };
      for (const panel of Object.values(trainingPanels)) {
        panel.setTheme(themes[themeName]);
        panelsHost.append(panel.frame);
      }
    }
    return trainingPanels;
  },
  async dataFile(written) {
    const name = written.split(/[\\/]/).pop() ?? written;
    const given = dataFiles.get(name);
    if (given !== undefined) return given;
    // The examples' own data ships with the page (examples/data/), so they train as they are.
    const bundled = written.replace(/^\.\//, '');
    if (!exampleData.includes(bundled)) return undefined;
    const response = await fetch(new URL(`examples/${bundled}`, base));
    return response.ok ? response.text() : undefined;
  },
  running(active) {
    trainButton.disabled = active;
    stopButton.disabled = !active;
  },
});

function train(name?: string): void {
  const a = analysis();
  const target = name ?? currentModel(a)?.name;
  if (target === undefined) {
    say('There is no model to train: write a `model name { ... }` block and a `train` block first.', true);
    return;
  }
  void trainer.train(a, target);
}

trainButton.addEventListener('click', () => train());
stopButton.addEventListener('click', () => trainer.stop());

async function addDataFiles(files: ArrayLike<File>): Promise<void> {
  const names: string[] = [];
  for (const file of Array.from(files)) {
    dataFiles.set(file.name, await file.text());
    names.push(file.name);
  }
  if (names.length) say(`${names.join(', ')} ready for csv(...): the page reads a file by its name.`);
}

const dataInput = $<HTMLInputElement>('data-input');
$('data-files').addEventListener('click', () => dataInput.click());
dataInput.addEventListener('change', () => {
  void addDataFiles(dataInput.files ?? []);
  dataInput.value = '';
});
// Files dropped anywhere on the page (monaco would otherwise insert their text).
window.addEventListener('dragover', (event) => {
  if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
}, true);
window.addEventListener('drop', (event) => {
  if (!event.dataTransfer?.files.length) return;
  event.preventDefault();
  event.stopPropagation();
  void addDataFiles(event.dataTransfer.files);
}, true);

// The server's code lenses name the extension's commands: serve them here.
monaco.editor.registerCommand('seqmodel.showSummary', (_accessor, _uri: unknown, name: unknown) => {
  if (typeof name === 'string') refreshSummary(name);
});
monaco.editor.registerCommand('seqmodel.train', (_accessor, _uri: unknown, name: unknown) => {
  if (typeof name === 'string') train(name);
});

// ---- toolbar -----------------------------------------------------------------------------

const examplesMenu = $<HTMLSelectElement>('examples');
for (const name of Object.keys(examples)) examplesMenu.append(new Option(name, name));

function open(text: string, name: string): void {
  fileName = name;
  model.setValue(text);
  editor.setPosition({ lineNumber: 1, column: 1 });
  examplesMenu.value = examples[name] === text ? name : '';
  shownModel = undefined;
  refreshSummary();
}

examplesMenu.addEventListener('change', () => {
  const name = examplesMenu.value;
  if (examples[name] === undefined) return;
  open(examples[name], name);
  // A link to the page no longer describes what is shown.
  history.replaceState(null, '', location.pathname + location.search);
  say(`Opened examples/${name}.`);
});

$('share').addEventListener('click', async () => {
  const url = new URL(location.href);
  url.hash = await encodeShare(model.getValue());
  history.replaceState(null, '', url.href);
  try {
    await navigator.clipboard.writeText(url.href);
    say(`Link copied (${url.href.length.toLocaleString('en-US')} characters): anyone who opens it sees this file.`);
  } catch {
    say('The link is in the address bar: copy it from there.');
  }
});

function download(text: string, name: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

$('download').addEventListener('click', () => download(model.getValue(), fileName, 'text/plain'));

$('export').addEventListener('click', () => {
  const a = analysis();
  const target = currentModel(a);
  if (!target) {
    say('There is no model to export: write a `model name { ... }` block first.', true);
    return;
  }
  download(exportKeras(a, target.name, { fileName }), `${target.name}.py`, 'text/x-python');
  say(`Exported model "${target.name}" to ${target.name}.py (Keras, Python).`);
});

const themeButton = $<HTMLButtonElement>('theme');

function applyTheme(name: ThemeName): void {
  themeName = name;
  const theme = themes[name];
  for (const [variable, value] of Object.entries(theme.vars)) document.documentElement.style.setProperty(variable, value);
  document.documentElement.style.colorScheme = name === 'dark' ? 'dark' : 'light';
  monaco.editor.setTheme(name === 'dark' ? EDITOR_THEMES.dark : EDITOR_THEMES.light);
  summary.setTheme(theme);
  if (trainingPanels) for (const panel of Object.values(trainingPanels)) panel.setTheme(theme);
  themeButton.setAttribute('aria-pressed', String(name === 'dark'));
  themeButton.textContent = name === 'dark' ? 'Light theme' : 'Dark theme';
}

themeButton.addEventListener('click', () => {
  applyTheme(themeName === 'dark' ? 'light' : 'dark');
  localStorage.setItem(THEME_KEY, themeName);
});

// ---- start -------------------------------------------------------------------------------

applyTheme(themeName);

async function openFromLocation(): Promise<void> {
  const shared = await decodeShare(location.hash);
  if (shared instanceof Error) say(shared.message, true);
  else if (shared !== undefined) {
    open(shared, 'shared.seqmodel');
    say('Opened the file from the link.');
    return;
  }
  open(examples[FIRST_EXAMPLE] ?? '', FIRST_EXAMPLE);
}

window.addEventListener('hashchange', () => void openFromLocation());
await openFromLocation();
editor.focus();

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register(new URL('sw.js', base)).catch((error) => say(`Offline use is unavailable: ${String(error)}`));
}

// For the console and the browser tests: the editor and monaco's API.
Object.assign(window, { seqmodelPlayground: { monaco, editor } });
