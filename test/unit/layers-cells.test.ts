import { strict as assert } from 'node:assert';
import { analyze, formatShapes } from '../../src/language';
import { codes, lastLayer, single } from '../helpers/engine';
import { applyFix } from '../helpers/fixes';
import { hover } from '../../src/server/hover';
import { inlayHints } from '../../src/server/inlayHints';

// RNN(cell) and the cells: each count is derived here from the cell's weights, one term per
// weight tensor, so the engine's formula is checked against an independent sum.

function rnn(cell: string, input = 'input(10, 3)', extra = '') {
  return lastLayer(`${input}\nRNN(${cell}${extra})`);
}

describe('RNN(cell) and the recurrent cells', () => {
  const f = 3;
  const u = 8;
  // kernel f × (g·u), recurrent kernel u × (g·u), bias g·u: the Keras LSTM/GRU weight layout.
  const blocks = (g: number, biasVectors = 1) => f * g * u + u * g * u + biasVectors * g * u;

  it('RNN(SimpleRNNCell/LSTMCell/GRUCell) counts and shapes what SimpleRNN, LSTM, GRU do', () => {
    for (const [cell, layer] of [
      ['SimpleRNNCell(8)', 'SimpleRNN(8)'],
      ['LSTMCell(8)', 'LSTM(8)'],
      ['GRUCell(8)', 'GRU(8)'],
      ['GRUCell(8, reset_after=False)', 'GRU(8, reset_after=False)'],
      ['LSTMCell(8, use_bias=False)', 'LSTM(8, use_bias=False)'],
    ]) {
      const a = rnn(cell);
      const b = lastLayer(`input(10, 3)\n${layer}`);
      assert.equal(a.params.total, b.params.total, cell);
      assert.equal(a.formula, b.formula, cell);
      assert.deepEqual(a.outputShapes, b.outputShapes, cell);
    }
    assert.equal(rnn('LSTMCell(8)').params.total, blocks(4));
    assert.equal(rnn('GRUCell(8)').params.total, blocks(3, 2));
  });

  it('return_sequences keeps the steps; return_state adds the cell states (two for the LSTM cells)', () => {
    assert.equal(formatShapes(rnn('LSTMCell(8)', undefined, ', return_sequences=True').outputShapes), '(None, 10, 8)');
    assert.equal(formatShapes(rnn('PeepholeLSTMCell(8)', undefined, ', return_state=True').outputShapes), '[(None, 8), (None, 8), (None, 8)]');
    assert.equal(formatShapes(rnn('LayerNormGRUCell(8)', undefined, ', return_state=True').outputShapes), '[(None, 8), (None, 8)]');
  });

  it('PeepholeLSTMCell: the LSTM plus three diagonal peephole vectors (Keras 2)', () => {
    const l = rnn('PeepholeLSTMCell(8)');
    assert.equal(l.params.total, blocks(4) + 3 * u);
    assert.equal(l.formula, '4 × (8 × (3 + 8) + 8) + 3 × 8 = 408');
  });

  it('FullPeepholeLSTMCell: one units × units matrix per chosen gate', () => {
    assert.equal(rnn('FullPeepholeLSTMCell(8)').params.total, blocks(4) + 3 * u * u);
    const two = rnn('FullPeepholeLSTMCell(8, peephole_gates=["forget", "output"])');
    assert.equal(two.params.total, blocks(4) + 2 * u * u);
    assert.equal(two.formula, '4 × (8 × (3 + 8) + 8) + 2 × 8 × 8 = 512');
    assert.equal(rnn('FullPeepholeLSTMCell(8, peephole_gates="output")').params.total, blocks(4) + u * u);
  });

  it('CoupledLSTMCell: three blocks, no input gate', () => {
    assert.equal(rnn('CoupledLSTMCell(8)').params.total, blocks(3));
  });

  it('layer-normalized cells: the dense blocks plus each normalization\'s scale (and shift)', () => {
    // TF Addons: LayerNormSimpleRNNCell normalizes without a shift (the cell bias is the shift).
    assert.equal(rnn('LayerNormSimpleRNNCell(8)').params.total, blocks(1) + u);
    // TF Addons: kernel_norm and recurrent_norm over 4u, state_norm over u, each gamma and beta.
    assert.equal(rnn('LayerNormLSTMCell(8)').params.total, blocks(4) + 2 * (4 * u) + 2 * (4 * u) + 2 * u);
    assert.equal(rnn('LayerNormGRUCell(8)').params.total, blocks(3) + 2 * (3 * u) + 2 * (3 * u));
    assert.equal(rnn('LayerNormLSTMCell(8, use_bias=False)').params.total, blocks(4) - 4 * u + 18 * u);
  });

  it('StackedRNNCells chains the cells: each reads the previous output; states are all of them', () => {
    const l = rnn('StackedRNNCells([LSTMCell(8), GRUCell(4)])', undefined, ', return_state=True');
    const gru = 3 * (4 * (8 + 4) + 2 * 4);
    assert.equal(l.params.total, blocks(4) + gru);
    assert.equal(formatShapes(l.outputShapes), '[(None, 4), (None, 8), (None, 8), (None, 4)]');
    assert.equal(l.formula, `${blocks(4)} + ${gru} = ${(blocks(4) + gru).toLocaleString('en-US')}`);
    const config = l.config.cell as unknown as { type: string; config: { cells: { type: string }[] } };
    assert.equal(config.type, 'StackedRNNCells');
    assert.deepEqual(config.config.cells.map((c) => c.type), ['LSTMCell', 'GRUCell']);
  });

  it("RNN's config holds its cell's, under Keras's key `cell`; hover info is the cell", () => {
    const l = rnn('PeepholeLSTMCell(8, unit_forget_bias=False)');
    const cell = l.config.cell as { type: string; config: Record<string, unknown> };
    assert.equal(cell.type, 'PeepholeLSTMCell');
    assert.equal(cell.config.unit_forget_bias, false);
    assert.equal(l.inner?.type, 'PeepholeLSTMCell');
  });

  it('Bidirectional(RNN(cell)) and a stacked RNN needing return_sequences', () => {
    assert.equal(lastLayer('input(10, 3)\nBidirectional(RNN(CoupledLSTMCell(8)))').params.total, 2 * blocks(3));
    const { analysis } = single('input(10, 3)\nRNN(LSTMCell(8))\nRNN(GRUCell(4))');
    assert.deepEqual(codes(analysis), ['missing-return-sequences']);
  });

  it('hover over a cell: its equations, where the count comes from, and the count with the numbers filled in', () => {
    const text = 'model m {\n  input(10, 3)\n  RNN(PeepholeLSTMCell(8))\n}\n';
    const at = (needle: string) => (hover(analyze(text), text.indexOf(needle) + 1)!.contents as { value: string }).value;
    const cell = at('PeepholeLSTMCell');
    assert.match(cell, /p_f ⊙ c_\{t-1\}/);
    assert.match(cell, /Keras 2/);
    assert.ok(cell.includes('4 × (8 × (3 + 8) + 8) + 3 × 8 = 408'), cell);
    assert.ok(at('RNN').includes('4 × (8 × (3 + 8) + 8) + 3 × 8 = 408'));
    const ln = hover(analyze(text.replace('PeepholeLSTMCell', 'LayerNormSimpleRNNCell')), text.indexOf('PeepholeLSTMCell') + 1)!;
    assert.match((ln.contents as { value: string }).value, /TensorFlow Addons/);
  });

  it('inlay hint after RNN(cell): its shape and count', () => {
    const text = 'model m {\n  input(10, 3)\n  RNN(CoupledLSTMCell(8), return_sequences=True)\n}\n';
    const hints = inlayHints(analyze(text), { start: 0, end: text.length }, { shapes: true, params: true });
    assert.deepEqual(hints.map((h) => h.label), [`→ (None, 10, 8) · ${blocks(3)} params`]);
  });

  describe('impossible combinations', () => {
    it('a cell used as a layer: cell-outside-rnn, fixed by wrapping it in RNN(...)', () => {
      const text = 'model m {\n  input(10, 3)\n  LSTMCell(8)\n}\n';
      const a = analyze(text);
      const d = a.diagnostics.find((x) => x.code === 'cell-outside-rnn');
      assert.ok(d, a.diagnostics.map((x) => x.message).join('|'));
      assert.match(d.message, /RNN\(LSTMCell\(\.\.\.\)\)/);
      const fixed = applyFix(text, d.fixes![0]);
      assert.match(fixed, /RNN\(LSTMCell\(8\)\)/);
      assert.equal(analyze(fixed).diagnostics.length, 0);
    });
    it('RNN of a layer, not a cell: names the cells', () => {
      const { analysis } = single('input(10, 3)\nRNN(LSTM(8))');
      const d = analysis.diagnostics.find((x) => x.code === 'invalid-argument');
      assert.match(d!.message, /RNN wraps a cell \(SimpleRNNCell, LSTMCell.*\), not LSTM/);
    });
    it('peephole_gates: an unknown gate (with a suggestion), twice, or none (fix: all gates)', () => {
      const bad = single('input(10, 3)\nRNN(FullPeepholeLSTMCell(8, peephole_gates=["forgett"]))').analysis;
      assert.match(bad.diagnostics[0].message, /Did you mean 'forget'/);
      const twice = single('input(10, 3)\nRNN(FullPeepholeLSTMCell(8, peephole_gates=["input", "input"]))').analysis;
      assert.match(twice.diagnostics[0].message, /"input" twice/);
      const text = 'model m {\n  input(10, 3)\n  RNN(FullPeepholeLSTMCell(8, peephole_gates=[]))\n}\n';
      const none = analyze(text);
      assert.match(none.diagnostics[0].message, /without a peephole this is LSTMCell/);
      assert.equal(analyze(applyFix(text, none.diagnostics[0].fixes![0])).diagnostics.length, 0);
    });
    it('StackedRNNCells: not a list of cells, an empty list, a layer in the list', () => {
      assert.match(single('input(10, 3)\nRNN(StackedRNNCells(LSTMCell(8)))').analysis.diagnostics[0].message, /must be a list of cells/);
      assert.match(single('input(10, 3)\nRNN(StackedRNNCells([]))').analysis.diagnostics[0].message, /at least one cell/);
      assert.match(single('input(10, 3)\nRNN(StackedRNNCells([LSTMCell(8), Dense(3)]))').analysis.diagnostics[0].message, /not Dense/);
    });
    it('errors inside a cell of a model whose shape is unknown are still reported', () => {
      const a = analyze('model m {\n  RNN(LSTMCell(units=-1))\n}\n');
      assert.ok(codes(a).includes('invalid-argument'), codes(a).join());
    });
    it('dropout on a cell whose source defines none: an error at the argument, with the reason', () => {
      for (const cell of ['FullPeepholeLSTMCell', 'CoupledLSTMCell', 'LayerNormGRUCell']) {
        const text = `model m {\n  input(10, 3)\n  RNN(${cell}(8, recurrent_dropout=0.2))\n}\n`;
        const [d, ...rest] = analyze(text).diagnostics;
        assert.deepEqual(rest, [], cell);
        assert.equal(d.code, 'invalid-argument');
        assert.match(d.message, new RegExp(`^${cell} takes no recurrent_dropout: .*(course's equations|no library had this cell).*Dropout layer`));
        assert.equal(text.slice(d.span.start, d.span.end), "0.2");
      }
      // The cells whose library had them take both, as the trainer does.
      for (const cell of ['LSTMCell', 'GRUCell', 'SimpleRNNCell', 'PeepholeLSTMCell', 'LayerNormSimpleRNNCell', 'LayerNormLSTMCell']) {
        assert.deepEqual(codes(single(`input(10, 3)\nRNN(${cell}(8, dropout=0.2, recurrent_dropout=0.1))`).analysis), [], cell);
      }
    });
    it('RNN on a vector: the usual recurrent-layer message', () => {
      assert.deepEqual(codes(single('input(3)\nRNN(LSTMCell(8))').analysis), ['incompatible-shape']);
    });
  });
});
