// The rows and text of Keras's model.summary() from the analysed model. Keras 3 formatting:
// shapes as Python tuples "(None, 3, 50)", several outputs as a list of tuples, counts with
// thousands separators, and totals with their float32 size ("10,502 (41.02 KB)").
import type { LayerInfo, ModelInfo, Shape } from '../../src/language';

export interface SummaryRow {
  /** "lstm (LSTM)"; a wrapper is named by its own type, as Keras does: "bidirectional (Bidirectional)". */
  layer: string;
  outputShape: string;
  params: string;
  info: LayerInfo;
}

export function formatShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  // Python prints a 1-tuple with a trailing comma.
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

export function formatOutputShapes(shapes: Shape[]): string {
  if (shapes.length === 1) return formatShape(shapes[0]);
  return `[${shapes.map(formatShape).join(', ')}]`;
}

export function formatCount(n: number): string {
  // Locale-independent grouping: Keras always prints commas.
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Keras's size readout: 4 bytes per float32 parameter, 1024-based units. */
export function formatBytes(params: number): string {
  const bytes = params * 4;
  if (bytes === 0) return '0.00 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

export function layerLabel(layer: LayerInfo): string {
  return `${layer.name} (${layer.type})`;
}

export function summaryRows(model: ModelInfo): SummaryRow[] {
  return model.layers.map((info) => ({
    layer: layerLabel(info),
    outputShape: formatOutputShapes(info.outputShapes),
    params: formatCount(info.params.total),
    info,
  }));
}

export function totalsLines(model: ModelInfo): string[] {
  const { total, trainable, nonTrainable } = model.params;
  return [
    `Total params: ${formatCount(total)} (${formatBytes(total)})`,
    `Trainable params: ${formatCount(trainable)} (${formatBytes(trainable)})`,
    `Non-trainable params: ${formatCount(nonTrainable)} (${formatBytes(nonTrainable)})`,
  ];
}

/** The plain-text table, as printed by model.summary() in a notebook. */
export function summaryText(model: ModelInfo): string {
  const rows = summaryRows(model);
  const widths = [
    Math.max(28, ...rows.map((r) => r.layer.length + 2)),
    Math.max(26, ...rows.map((r) => r.outputShape.length + 2)),
    Math.max(10, ...rows.map((r) => r.params.length + 2)),
  ];
  const line = (cells: string[]) => ' ' + cells.map((c, i) => c.padEnd(widths[i] - (i === 0 ? 1 : 0))).join('').trimEnd();
  const width = widths[0] + widths[1] + widths[2];
  const out = [`Model: "${model.name}"`, '_'.repeat(width), line(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(width)];
  rows.forEach((row, i) => {
    out.push(line([row.layer, row.outputShape, row.params]));
    out.push(i === rows.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (rows.length === 0) out.push('='.repeat(width));
  out.push(...totalsLines(model), '_'.repeat(width));
  return out.join('\n');
}
