// The confusion matrix as an HTML table: rows true class, columns predicted, each cell tinted by
// its share of its row so the diagonal reads at a glance whatever the class sizes.
import { h } from '../shared/dom';
import { formatPercent } from '../../src/language';
import type { ConfusionMatrix } from './confusion';

export function confusionTable(matrix: ConfusionMatrix, name: (c: number) => string): HTMLElement {
  const header = h('tr', {}, h('th', { class: 'corner', attrs: { scope: 'col' } }, 'true ╲ predicted'));
  for (let c = 0; c < matrix.classes; c++) header.append(h('th', { attrs: { scope: 'col' } }, name(c)));
  header.append(h('th', { attrs: { scope: 'col' } }, 'recall'));
  const rows = matrix.counts.map((row, r) => {
    const rowSum = row.reduce((a, b) => a + b, 0);
    const tr = h('tr', {}, h('th', { attrs: { scope: 'row' } }, name(r)));
    row.forEach((count, c) => {
      const cell = h('td', { class: `num cell${r === c ? ' diagonal' : ''}`, title: `true ${name(r)}, predicted ${name(c)}: ${count}` }, String(count));
      // The tint is a custom property read by the stylesheet: no inline style attribute.
      cell.style.setProperty('--share', String(rowSum ? count / rowSum : 0));
      tr.append(cell);
    });
    tr.append(h('td', { class: 'num muted' }, formatPercent(matrix.recall[r])));
    return tr;
  });
  const precision = h('tr', {}, h('th', { attrs: { scope: 'row' } }, 'precision'));
  for (let c = 0; c < matrix.classes; c++) precision.append(h('td', { class: 'num muted' }, formatPercent(matrix.precision[c])));
  precision.append(h('td', {}, ''));
  return h('table', { class: 'confusion plain', attrs: { id: 'confusion' } }, h('thead', {}, header), h('tbody', {}, ...rows, precision));
}
