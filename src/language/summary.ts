import { formatCount, formatShapes } from './formatting';
import type { LayerInfo, ModelInfo } from './model';

// The table Keras's model.summary() prints, as the course notebooks show it (tf.keras's layout,
// the totals without Keras 3's byte sizes), so that users compare it line by line with the
// notebooks they learn from. The one printer of the product: the CLI's `summary`, the editor's
// Show Model Summary (through the language server) and the summary panel all show this table.

export interface SummaryRow {
  /** "lstm (LSTM)"; a wrapper is named by its own type, as Keras does: "bidirectional (Bidirectional)". */
  layer: string;
  /** "(None, 50)"; several outputs as a list: "[(None, 30, 64), (None, 64), (None, 64)]". */
  outputShape: string;
  /** "10,400". */
  params: string;
  info: LayerInfo;
}

export function summaryRows(model: ModelInfo): SummaryRow[] {
  return model.layers.map((info) => ({ layer: `${info.name} (${info.type})`, outputShape: formatShapes(info.outputShapes), params: formatCount(info.params.total), info }));
}

/** "Total params: 2,906", "Trainable params: 2,804", "Non-trainable params: 102". */
export function summaryTotals(model: ModelInfo): string[] {
  return [
    `Total params: ${formatCount(model.params.total)}`,
    `Trainable params: ${formatCount(model.params.trainable)}`,
    `Non-trainable params: ${formatCount(model.params.nonTrainable)}`,
  ];
}

/** The whole table as text. */
export function summaryTable(model: ModelInfo): string {
  const rows = summaryRows(model);
  const w1 = Math.max(28, ...rows.map((r) => r.layer.length + 2));
  const w2 = Math.max(25, ...rows.map((r) => r.outputShape.length + 2));
  const w3 = Math.max(10, ...rows.map((r) => r.params.length));
  const width = w1 + w2 + w3;
  const line = (a: string, b: string, c: string) => (a.padEnd(w1) + b.padEnd(w2) + c).trimEnd();
  const out = [`Model: "${model.name}"`, '_'.repeat(width), line('Layer (type)', 'Output Shape', 'Param #'), '='.repeat(width)];
  rows.forEach((r, i) => {
    out.push(line(r.layer, r.outputShape, r.params));
    out.push(i === rows.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (rows.length === 0) out.push('='.repeat(width));
  out.push(...summaryTotals(model), '_'.repeat(width));
  return out.join('\n');
}
