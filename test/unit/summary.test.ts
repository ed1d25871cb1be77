import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, summaryRows, summaryTable, summaryTotals } from '../../src/language';
import { ROOT } from '../helpers/engine';
import { echoModel, forecastModel } from '../webview/fixtures';

// The one Keras summary printer (src/language/summary.ts): the CLI, Show Model Summary and the
// summary panel all print this table. Numbers: docs/keras-reference.md.

describe('Keras summary table', () => {
  it('names rows "name (Type)", wrappers by their own type', () => {
    assert.deepEqual(
      summaryRows(echoModel).map((r) => r.layer),
      ['bidirectional (Bidirectional)', 'time_distributed (TimeDistributed)', 'lstm (LSTM)', 'dense_1 (Dense)'],
    );
  });

  it('prints the table with its totals, as the notebooks show it', () => {
    const lines = summaryTable(forecastModel).split('\n');
    assert.equal(lines[0], 'Model: "lstm"');
    assert.match(lines[2], /^Layer \(type\)\s+Output Shape\s+Param #$/);
    assert.match(lines[4], /^lstm \(LSTM\)\s+\(None, 50\)\s+10,400$/);
    assert.match(lines[6], /^dense \(Dense\)\s+\(None, 2\)\s+102$/);
    assert.deepEqual(lines.slice(8, 11), ['Total params: 10,502', 'Trainable params: 10,502', 'Non-trainable params: 0']);
    const rnnBn = analyze(readFileSync(join(ROOT, 'examples', 'forecast.seqmodel'), 'utf8')).models.find((m) => m.name === 'rnn_bn')!;
    assert.deepEqual(summaryTotals(rnnBn), ['Total params: 2,906', 'Trainable params: 2,804', 'Non-trainable params: 102']);
  });

  it('lines the columns up under their headers, widening for long names and shapes', () => {
    const model = analyze('model m {\n  input(30, 3)\n  LSTM(64, return_sequences=True, return_state=True)\n}\n').models[0];
    const lines = summaryTable(model).split('\n');
    const header = lines[2];
    const row = lines[4];
    assert.equal(row.indexOf('[(None, 30, 64), (None, 64), (None, 64)]'), header.indexOf('Output Shape'));
    assert.equal(row.indexOf('17,408'), header.indexOf('Param #'));
    for (const rule of [lines[1], lines[3], lines[5]]) assert.equal(rule.length, lines[1].length);
  });
});
