import type { Hover, MarkupContent } from 'vscode-languageserver';
import { formatCount, formatShapes, summaryTable, type Analysis, type ConfigValue, type DataInfo, type LayerConfig, type LayerInfo } from '../language';
import { argSpecs, callable } from '../language';
import type { ArgSpec } from '../language';
import { isObjectConfig, objectCall } from '../language';
import { argumentAt, layerAt, objectAt, settingAt, symbolAt, type LayerHit, type ObjectHit } from '../language';
import { toRange } from './convert';
import { codeBlock, inlineCode } from './markdown';

// Hovers: a layer shows what it computes (shapes, parameters and their formula, the layer's
// explanation); a model its Keras summary; a data source its shapes and first windows; a
// constant its value; a keyword argument its meaning and default.

const PREVIEW_WINDOWS = 5;

export function hover(analysis: Analysis, offset: number): Hover | null {
  const layer = layerAt(analysis, offset);
  if (layer) return markdown(layerHover(layer), toRange(analysis.lines, layer.call.callee.span));
  const object = objectAt(analysis, offset);
  if (object) return markdown(objectHover(object), toRange(analysis.lines, object.call.callee.span));

  const hit = symbolAt(analysis, offset);
  if (hit) {
    const range = toRange(analysis.lines, hit.span);
    const { symbol } = hit;
    if (symbol.kind === 'model') {
      const model = analysis.models.find((m) => m.nameSpan.start === symbol.nameSpan.start) ?? analysis.models.find((m) => m.name === symbol.name);
      if (!model) return null;
      const note = model.valid ? '' : '\n\n_The model has errors: the table shows the layers analysed so far._';
      return markdown(`**model ${model.name}** · ${formatCount(model.params.total)} params\n\n${codeBlock('text', summaryTable(model))}${note}`, range);
    }
    if (symbol.kind === 'data') {
      const data = analysis.data.find((d) => d.nameSpan.start === symbol.nameSpan.start) ?? analysis.data.find((d) => d.name === symbol.name);
      return data ? markdown(dataHover(data), range) : null;
    }
    const constant = analysis.constants.find((c) => c.nameSpan.start === symbol.nameSpan.start) ?? analysis.constants.find((c) => c.name === symbol.name);
    if (!constant) return null;
    const source = analysis.text.slice(constant.span.start, constant.span.end).replace(/\s+/g, ' ').trim();
    const value = renderConfig(constant.value);
    const written = source.replace(/^let\s+\w+\s*=\s*/, '');
    return markdown(codeBlock('seqmodel', source) + (written !== value ? `\n\n= ${inlineCode(value)}` : ''), range);
  }

  const arg = argumentAt(analysis, offset, argSpecs);
  if (arg && arg.arg.name) return markdown(argumentDoc(arg.owner, arg.spec), toRange(analysis.lines, arg.arg.name.span));
  const setting = settingAt(analysis, offset);
  if (setting) return markdown(argumentDoc('train', setting.spec, 'setting'), toRange(analysis.lines, setting.name.span));
  return null;
}

function markdown(value: string, range: Hover['range']): Hover {
  const contents: MarkupContent = { kind: 'markdown', value };
  return { contents, range };
}

export function layerHover(hit: LayerHit): string {
  const callee = hit.call.callee.name;
  if (callee === 'input' || callee === 'Input') {
    // Not a layer: it declares what the model takes.
    const shape = hit.model?.inputShape;
    return [`**${callee}**${hit.model ? ` of model ${inlineCode(hit.model.name)}` : ''}`, shape ? `Input shape: ${inlineCode(formatShapes([shape]))} (the batch dimension is None)` : '_Input shape unknown: see the problems reported here._', '---', callable(callee)?.summary ?? ''].join('\n\n');
  }
  const name = hit.spec?.name ?? callee;
  const parts: string[] = [];
  const info = hit.layer;
  parts.push(info ? `**${name}** ${inlineCode(info.name)}${hit.model ? ` in model ${inlineCode(hit.model.name)}` : ''}` : `**${name}**`);
  if (info) parts.push(layerFacts(info));
  else if (hit.spec) parts.push('_Shape and parameters unknown: fix the errors above or in this layer._');
  else parts.push('_Unknown layer._');
  if (info && hit.spec) {
    // Initializers, regularizers and constraints as the trainer will build them.
    const objects = hit.spec.args.filter((a) => a.type.t === 'object' && info.config[a.name] !== undefined && JSON.stringify(info.config[a.name]) !== JSON.stringify(a.default));
    if (objects.length) parts.push(objects.map((a) => `\`${a.name}=${renderConfig(info.config[a.name])}\``).join('  \n'));
  }
  // The equations follow the layer's own arguments (activation, use_bias, reset_after) once analysed.
  if (hit.spec) parts.push('---', hit.spec.summary, info && hit.spec.explain ? hit.spec.explain(info.config) : hit.spec.doc);
  return parts.join('\n\n');
}

/** Output shape(s), the count (split when some weights are frozen) and its formula. */
export function layerFacts(info: LayerInfo): string {
  const lines: string[] = [];
  lines.push(`Output shape: \`${formatShapes(info.outputShapes)}\`${info.outputShapes.length > 1 ? ` (${info.outputShapes.length} outputs)` : ''}`);
  const p = info.params;
  const split = p.trainable !== p.total ? ` (trainable ${formatCount(p.trainable)}, non-trainable ${formatCount(p.nonTrainable)})` : '';
  lines.push(`Params: **${formatCount(p.total)}**${split}`);
  if (info.formula) lines.push(`\`${info.formula}\``);
  return lines.join('  \n');
}

export function dataHover(data: DataInfo): string {
  const dims = (s: (number | null)[]) => formatShapes([s]).replace(/\bNone\b/g, 'n');
  const spec = data.spec;
  const kind = spec.kind === 'labelledWindows' ? `windows classified by ${JSON.stringify(spec.label)}` : spec.kind;
  const lines = [`**data ${data.name}** · ${kind}`, '', `X: \`${dims(data.xShape)}\` · Y: \`${dims(data.yShape)}\``];
  if (spec.kind === 'labelledWindows') {
    // The engine reads no files: the classes are known here only when class_names lists them.
    const classes = spec.classNames ? `Classes: ${spec.classNames.join(', ')}` : 'Classes: the labels in the file, sorted (read when training)';
    const mixed = { drop: 'dropped', last: 'labelled by their last row', majority: 'labelled by most of their rows' }[spec.mixed];
    lines.push('', classes, '', `A window every ${spec.stride} step${spec.stride === 1 ? '' : 's'}; windows spanning two labels are ${mixed}.`);
  }
  if (data.preview && data.preview.x.length) {
    const shown = Math.min(PREVIEW_WINDOWS, data.preview.x.length);
    const rows = [];
    for (let i = 0; i < shown; i++) rows.push(`${numpyRow(data.preview.x[i])} ${numpyRow(data.preview.y[i])}`);
    if (data.preview.x.length > shown) rows.push(`... ${data.preview.x.length - shown} more`);
    lines.push('', `First windows (X then Y):`, '', codeBlock('text', rows.join('\n')));
  }
  return lines.join('\n');
}

/** As numpy prints: one feature per step flattens to `[10 20 30]`, several to `[[1 2] [3 4]]`. */
export function numpyRow(value: number[] | number[][]): string {
  const num = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6))));
  if (value.length && Array.isArray(value[0])) {
    const steps = value as number[][];
    if (steps.every((s) => s.length === 1)) return `[${steps.map((s) => num(s[0])).join(' ')}]`;
    return `[${steps.map((s) => `[${s.map(num).join(' ')}]`).join(' ')}]`;
  }
  return `[${(value as number[]).map(num).join(' ')}]`;
}

export function renderConfig(v: ConfigValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(renderConfig).join(', ')}]`;
  // A wrapped layer shows as its class; an initializer, regularizer or constraint in full.
  return isObjectConfig(v as LayerConfig) ? objectCall(v, renderConfig) : `${v.type}(...)`;
}

/** An initializer, regularizer or constraint call: the Keras object it builds, every argument. */
export function objectHover(hit: ObjectHit): string {
  const { spec, value } = hit;
  const parts = [`**${spec.name}** · ${spec.kind}${hit.arg ? ` for \`${hit.arg}\`` : ''}`];
  if (isObjectConfig(value)) {
    const all = Object.entries(value.config).map(([k, v]) => `${k}=${renderConfig(v)}`).join(', ');
    parts.push(`\`${value.type}(${all})\``);
  }
  parts.push(spec.summary);
  return parts.join('\n\n');
}

export function argumentDoc(owner: string, spec: ArgSpec, noun = 'argument'): string {
  const parts = [`**${spec.name}** · ${noun} of \`${owner}\``];
  if (spec.doc) parts.push(spec.doc);
  // A list (metrics) takes the values of its items.
  const t = spec.type.t === 'list' ? spec.type.item : spec.type;
  if (t.t === 'enum') parts.push(`One of: ${t.values.map((v) => `\`${v}\``).join(', ')}${t.nullable ? ', `None`' : ''}.`);
  if (spec.required) parts.push('Required.');
  else if (spec.default !== undefined) parts.push(`Default: ${inlineCode(renderConfig(spec.default))}`);
  return parts.join('\n\n');
}
