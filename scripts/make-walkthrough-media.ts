// Draws the Getting Started walkthrough's illustrations (media/walkthrough/*.svg) from the
// engine's own output: the New Model File templates with the shapes and counts the editor's
// inlay hints show, a layer's hover formula, the exercise's diagnostic and quick fix title, and
// the Keras script Export to Keras writes. So the pictures cannot drift from the product: run
// `npx tsx scripts/make-walkthrough-media.ts` after changing a template or the engine, and
// test/unit/walkthrough.test.ts fails when a file is out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, exportKeras, formatCount, formatShapes } from '../src/language';
import { modelTemplate } from '../src/extension/newModel/templates';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MEDIA_DIR = path.join(root, 'media', 'walkthrough');

const W = 800;
const LINE = 20;
const CHAR = 7.8;
const MONO = `font-family="Menlo, Consolas, 'DejaVu Sans Mono', monospace"`;
const FONT = `${MONO} font-size="13"`;
const COLORS = { bg: '#1e1e1e', text: '#d4d4d4', comment: '#6a9955', keyword: '#569cd6', number: '#b5cea8', string: '#ce9178', hint: '#8b8b8b', hintBg: '#2d2d2d', layer: '#4ec9b0', error: '#f14c4c', panel: '#252526', border: '#454545', accent: '#3794ff' };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One code line as coloured tspans: comments, keywords, layer names, strings and numbers. */
function codeLine(text: string): string {
  const comment = text.indexOf('#');
  const code = comment >= 0 ? text.slice(0, comment) : text;
  const parts = code.split(/(\b(?:let|data|model|train|on|input)\b|\b[A-Z][A-Za-z0-9]*(?=\()|"[^"]*"|\b\d+(?:\.\d+)?\b)/);
  const spans = parts.map((part, i) => {
    if (i % 2 === 0 || !part) return esc(part);
    const color = /^"/.test(part) ? COLORS.string : /^\d/.test(part) ? COLORS.number : /^[A-Z]/.test(part) ? COLORS.layer : COLORS.keyword;
    return `<tspan fill="${color}">${esc(part)}</tspan>`;
  });
  if (comment >= 0) spans.push(`<tspan fill="${COLORS.comment}">${esc(text.slice(comment))}</tspan>`);
  return spans.join('');
}

interface Hint {
  line: number;
  text: string;
}

/** The inlay hint text after each layer line, as the editor shows it: "→ (None, 32) · 4,352 params". */
function layerHints(text: string): Hint[] {
  const analysis = analyze(text);
  const hints: Hint[] = [];
  for (const model of analysis.models) {
    for (const layer of model.layers) {
      if (layer.outputShapes.length === 0) continue;
      const line = text.slice(0, layer.span.end).split('\n').length - 1;
      hints.push({ line, text: `→ ${formatShapes(layer.outputShapes)} · ${formatCount(layer.params.total)} params` });
    }
  }
  return hints;
}

/** A picture as wide as its content needs (at most W), so the walkthrough does not shrink it more than it must. */
function svg(height: number, body: string, title: string, width = W): string {
  const w = Math.min(W, Math.ceil(width));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${height}" viewBox="0 0 ${w} ${height}" role="img" aria-label="${esc(title)}">
<title>${esc(title)}</title>
<rect width="${w}" height="${height}" rx="8" fill="${COLORS.bg}"/>
${body}
</svg>
`;
}

/** Lines of the text with their hints, from `first` to `last` (0-based, inclusive), top at y. */
function editor(lines: string[], hints: Hint[], first: number, last: number, y = 28): { body: string; lineY: (line: number) => number; width: number } {
  const out: string[] = [];
  let width = 0;
  const lineY = (line: number) => y + (line - first) * LINE;
  for (let i = first; i <= last; i++) {
    const ly = lineY(i);
    out.push(`<text x="14" y="${ly}" ${FONT} fill="#858585">${i + 1}</text>`);
    out.push(`<text x="44" y="${ly}" ${FONT} fill="${COLORS.text}" xml:space="preserve">${codeLine(lines[i])}</text>`);
    const hint = hints.find((h) => h.line === i);
    width = Math.max(width, 44 + lines[i].length * CHAR + 20, hint ? 44 + lines[i].length * CHAR + 8 + hint.text.length * 7.6 + 20 : 0);
    if (hint) {
      const x = 44 + lines[i].length * CHAR + 8;
      out.push(`<rect x="${x - 3}" y="${ly - 13}" width="${hint.text.length * 7.6 + 8}" height="17" rx="3" fill="${COLORS.hintBg}"/>`);
      out.push(`<text x="${x}" y="${ly}" ${MONO} font-size="12" fill="${COLORS.hint}">${esc(hint.text)}</text>`);
    }
  }
  return { body: out.join('\n'), lineY, width };
}

function lineOf(lines: string[], pattern: RegExp): number {
  const i = lines.findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`no line matches ${pattern}`);
  return i;
}

export function walkthroughMedia(): Record<string, string> {
  const forecast = modelTemplate('forecasting')!.content;
  const lines = forecast.split('\n');
  const hints = layerHints(forecast);
  const first = lineOf(lines, /^model /);
  const modelEnd = lineOf(lines, /^}/);
  const files: Record<string, string> = {};

  const opened = editor(lines, hints, first, modelEnd);
  files['new-model.svg'] = svg(opened.lineY(modelEnd) + 20, opened.body, 'A new forecasting model: each layer shows its output shape and parameter count', opened.width);

  // The hover of the LSTM: the formula the language server shows, with the numbers filled in.
  const lstm = analyze(forecast).models[0].layers.find((l) => l.type === 'LSTM')!;
  const lstmLine = lineOf(lines, /^\s+LSTM\(/);
  const hoverTop = lineOf(lines, /^model /);
  const hovered = editor(lines, hints, hoverTop, modelEnd);
  const boxY = hovered.lineY(lstmLine) + 10;
  const hoverLines = [`LSTM  ${lstm.name}  in model  ${analyze(forecast).models[0].name}`, `Output shape: ${formatShapes(lstm.outputShapes)}`, `Params: ${formatCount(lstm.params.total)}`, lstm.formula];
  const hoverBox = [
    `<rect x="60" y="${boxY}" width="440" height="${hoverLines.length * 20 + 14}" rx="4" fill="${COLORS.panel}" stroke="${COLORS.border}"/>`,
    ...hoverLines.map((t, i) => `<text x="72" y="${boxY + 22 + i * 20}" ${FONT} fill="${i === 0 ? COLORS.layer : COLORS.text}"${i === 2 ? ' font-weight="700"' : ''}>${esc(t)}</text>`),
  ].join('\n');
  files['hover.svg'] = svg(boxY + hoverLines.length * 20 + 30, `${hovered.body}\n${hoverBox}`, `Hovering LSTM(32): ${lstm.formula}`, Math.max(hovered.width, 520));

  // The exercise: the squiggle under the layer the engine reports, and its quick fix's title.
  const exercise = modelTemplate('fix-shapes')!.content;
  const exLines = exercise.split('\n');
  const diagnostic = analyze(exercise).diagnostics[0];
  const errLine = exercise.slice(0, diagnostic.span.start).split('\n').length - 1;
  const errCol = diagnostic.span.start - exercise.lastIndexOf('\n', diagnostic.span.start - 1) - 1;
  const exFirst = lineOf(exLines, /^model /);
  const exLast = exFirst + exLines.slice(exFirst).findIndex((l) => l === '}');
  const broken = editor(exLines, layerHints(exercise), exFirst, exLast);
  const sy = broken.lineY(errLine) + 4;
  const sx = 44 + errCol * CHAR;
  const width = (diagnostic.span.end - diagnostic.span.start) * CHAR;
  let squiggle = `M${sx} ${sy}`;
  for (let x = sx; x < sx + width; x += 4) squiggle += ` l2 2 l2 -2`;
  const fixTitle = diagnostic.fixes![0].title;
  // The light bulb's menu, right of the squiggle, as VS Code opens it at the cursor.
  const menuY = sy - 20;
  const fixBody = [
    `<path d="${squiggle}" fill="none" stroke="${COLORS.error}" stroke-width="1.2"/>`,
    `<text x="26" y="${broken.lineY(errLine)}" font-size="13">💡</text>`,
    `<rect x="${sx + width + 40}" y="${menuY}" width="${fixTitle.length * 7.8 + 24}" height="28" rx="4" fill="${COLORS.panel}" stroke="${COLORS.accent}"/>`,
    `<text x="${sx + width + 52}" y="${menuY + 19}" ${FONT} fill="${COLORS.text}">${esc(fixTitle)}</text>`,
  ].join('\n');
  files['quick-fix.svg'] = svg(Math.max(broken.lineY(exLast), menuY + 28) + 20, `${broken.body}\n${fixBody}`, `The quick fix: ${fixTitle}`, Math.max(broken.width, sx + width + 40 + fixTitle.length * 7.8 + 24 + 20));

  // Export to Keras: the start of the script the command writes for the forecasting model.
  const python = exportKeras(analyze(forecast), 'forecaster').split('\n');
  const start = python.findIndex((l) => l === '# define model');
  const shown = python.slice(start, python.findIndex((l, i) => i > start && l.startsWith('history = ')) + 1);
  const exported = shown.map((l, i) => `<text x="16" y="${28 + i * LINE}" ${FONT} fill="${l.trim().startsWith('#') ? COLORS.comment : COLORS.text}" xml:space="preserve">${esc(l)}</text>`).join('\n');
  files['export-keras.svg'] = svg(28 + shown.length * LINE, exported, 'The model exported as a Keras script', 16 + Math.max(...shown.map((l) => l.length)) * CHAR + 20);

  // Training: the loss panel's two curves, drawn as an illustration (not a recorded run).
  const chart: string[] = [`<text x="16" y="26" font-family="system-ui, sans-serif" font-size="14" font-weight="600" fill="${COLORS.text}">forecaster · epoch 20/20 · wasm</text>`];
  const plot = { x: 50, y: 44, w: 560, h: 200 };
  chart.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="${COLORS.border}"/>`);
  const curve = (scale: number, floor: number) =>
    Array.from({ length: 20 }, (_, e) => {
      const value = floor + scale * Math.exp(-e / 4);
      return `${(plot.x + (e / 19) * plot.w).toFixed(1)},${(plot.y + plot.h - value * plot.h).toFixed(1)}`;
    }).join(' ');
  chart.push(`<polyline points="${curve(0.85, 0.06)}" fill="none" stroke="#3794ff" stroke-width="2"/>`);
  chart.push(`<polyline points="${curve(0.75, 0.12)}" fill="none" stroke="#f0a030" stroke-width="2" stroke-dasharray="6 3"/>`);
  chart.push(`<text x="${plot.x + plot.w - 140}" y="${plot.y + 22}" font-family="system-ui, sans-serif" font-size="12" fill="#3794ff">— loss</text>`);
  chart.push(`<text x="${plot.x + plot.w - 80}" y="${plot.y + 22}" font-family="system-ui, sans-serif" font-size="12" fill="#f0a030">- - val_loss</text>`);
  chart.push(`<text x="${plot.x + plot.w / 2 - 20}" y="${plot.y + plot.h + 22}" font-family="system-ui, sans-serif" font-size="12" fill="${COLORS.hint}">epoch</text>`);
  files['train.svg'] = svg(plot.y + plot.h + 34, chart.join('\n'), 'The loss panel while training: loss and val_loss falling over the epochs', plot.x + plot.w + 30);
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(MEDIA_DIR, { recursive: true });
  for (const [name, content] of Object.entries(walkthroughMedia())) writeFileSync(path.join(MEDIA_DIR, name), content);
  console.log(`wrote ${Object.keys(walkthroughMedia()).length} files to ${path.relative(root, MEDIA_DIR)}`);
}
