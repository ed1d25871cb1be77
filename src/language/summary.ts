import { formatCount, formatShapes } from './formatting';
import type { ModelInfo } from './model';

// The table Keras's model.summary() prints, so that users compare it line by line with the
// notebooks they learn from.

export interface SummaryRow {
  layer: string;
  shape: string;
  params: string;
}

export function summaryRows(model: ModelInfo): SummaryRow[] {
  return model.layers.map((l) => ({ layer: `${l.name} (${l.type})`, shape: formatShapes(l.outputShapes), params: formatCount(l.params.total) }));
}

export function summaryTable(model: ModelInfo): string {
  const rows = summaryRows(model);
  const w1 = Math.max(28, ...rows.map((r) => r.layer.length + 2));
  const w2 = Math.max(25, ...rows.map((r) => r.shape.length + 2));
  const w3 = Math.max(10, ...rows.map((r) => r.params.length));
  const width = w1 + w2 + w3;
  const line = (a: string, b: string, c: string) => (a.padEnd(w1) + b.padEnd(w2) + c).trimEnd();
  const out = [`Model: "${model.name}"`, '_'.repeat(width), line('Layer (type)', 'Output Shape', 'Param #'), '='.repeat(width)];
  rows.forEach((r, i) => {
    out.push(line(r.layer, r.shape, r.params));
    out.push(i === rows.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (rows.length === 0) out.push('='.repeat(width));
  out.push(`Total params: ${formatCount(model.params.total)}`);
  out.push(`Trainable params: ${formatCount(model.params.trainable)}`);
  out.push(`Non-trainable params: ${formatCount(model.params.nonTrainable)}`);
  out.push('_'.repeat(width));
  return out.join('\n');
}
