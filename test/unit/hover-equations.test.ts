// A recurrent layer's hover shows the equations of the layer as written: its activation,
// recurrent_activation, biases and GRU's reset_after convention, not Keras's defaults.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/language';
import { lookupLayer } from '../../src/language';
import { hover } from '../../src/server/hover';

function equations(layer: string): string {
  const text = `model m {\n  input(3, 2)\n  ${layer}\n}\n`;
  const h = hover(analyze(text), text.indexOf(layer) + 1);
  assert.ok(h, layer);
  return (h.contents as { value: string }).value;
}

describe('hover: recurrent equations follow the arguments', () => {
  it('LSTM(activation="relu") uses relu for the candidate and the output, σ for the gates', () => {
    const h = equations('LSTM(50, activation="relu")');
    assert.match(h, /`c̃_t = relu\(W_c·\[h_\{t-1\}, x_t\] \+ b_c\)`/);
    assert.match(h, /`h_t = o_t ⊙ relu\(c_t\)`/);
    assert.match(h, /`f_t = σ\(W_f·\[h_\{t-1\}, x_t\] \+ b_f\)`/);
    assert.doesNotMatch(h, /tanh/);
  });

  it('recurrent_activation, use_bias=False and activation=None change the gates and drop the biases', () => {
    const h = equations('LSTM(4, recurrent_activation="hard_sigmoid", use_bias=False, activation=None)');
    assert.match(h, /`i_t = hard_sigmoid\(W_i·\[h_\{t-1\}, x_t\]\)`/);
    assert.match(h, /`c̃_t = W_c·\[h_\{t-1\}, x_t\]`/);
    assert.match(h, /`h_t = o_t ⊙ c_t`/);
    assert.match(h, /4 × \(units × \(features \+ units\)\)`/);
    assert.doesNotMatch(h, /b_/);
  });

  it('GRU shows its reset_after convention: the reset gate after (default) or before the recurrent product', () => {
    const after = equations('GRU(4)');
    assert.match(after, /reset_after=True/);
    assert.match(after, /`h̃_t = tanh\(W_h·x_t \+ b_h \+ r_t ⊙ \(U_h·h_\{t-1\} \+ b'_h\)\)`/);
    assert.match(after, /`z_t = σ\(W_z·x_t \+ U_z·h_\{t-1\} \+ b_z \+ b'_z\)`/);
    const before = equations('GRU(4, reset_after=False, activation="relu")');
    assert.match(before, /reset_after=False/);
    assert.match(before, /`h̃_t = relu\(W_h·x_t \+ U_h·\(r_t ⊙ h_\{t-1\}\) \+ b_h\)`/);
    assert.doesNotMatch(before, /b'_/);
  });

  it('SimpleRNN and a wrapped layer follow their own arguments', () => {
    assert.match(equations('SimpleRNN(3, activation="sigmoid")'), /`h_t = σ\(W·x_t \+ U·h_\{t-1\} \+ b\)`/);
    const text = 'model m {\n  input(3, 2)\n  Bidirectional(LSTM(4, activation="selu"))\n}\n';
    const inner = (hover(analyze(text), text.indexOf('LSTM') + 1)!.contents as { value: string }).value;
    assert.match(inner, /`h_t = o_t ⊙ selu\(c_t\)`/);
  });

  it("the layer's static doc (completion) is the equations for Keras's defaults", () => {
    assert.match(lookupLayer('LSTM')!.doc, /`c̃_t = tanh\(W_c·\[h_\{t-1\}, x_t\] \+ b_c\)`/);
    assert.match(lookupLayer('LSTM')!.doc, /`h_t = o_t ⊙ tanh\(c_t\)`/);
  });
});

describe('hover: a cell\'s equations follow its arguments, over the cell and over RNN', () => {
  const both = (layer: string) => {
    const text = `model m {\n  input(3, 2)\n  ${layer}\n}\n`;
    const at = (needle: string) => (hover(analyze(text), text.indexOf(needle) + 1)!.contents as { value: string }).value;
    const cell = layer.slice(layer.indexOf('(') + 1);
    return { rnn: at('RNN'), cell: at(cell) };
  };

  it('FullPeepholeLSTMCell: a peephole term only on the gates of peephole_gates, and their count', () => {
    for (const h of Object.values(both('RNN(FullPeepholeLSTMCell(8, peephole_gates=["forget"], activation="relu", use_bias=False))'))) {
      assert.match(h, /`f_t = σ\(W_f·x_t \+ U_f·h_\{t-1\} \+ P_f·c_\{t-1\}\)`/);
      assert.match(h, /`i_t = σ\(W_i·x_t \+ U_i·h_\{t-1\}\)`/);
      assert.match(h, /`o_t = σ\(W_o·x_t \+ U_o·h_\{t-1\}\)`/);
      assert.match(h, /`h_t = o_t ⊙ relu\(c_t\)`/);
      assert.match(h, /here not the input and output gates/);
      assert.match(h, /`4 × \(units × \(features \+ units\)\) \+ 1 × units × units`/);
      // The count with the numbers filled in.
      assert.ok(h.includes('`4 × (8 × (2 + 8)) + 1 × 8 × 8 = 384`'), h);
    }
    const all = both('RNN(FullPeepholeLSTMCell(8))').cell;
    assert.match(all, /P_i·c_\{t-1\} \+ b_i\)`/);
    assert.match(all, /P_o·c_t \+ b_o\)`/);
    assert.match(all, /\(default all three\)/);
  });

  it('PeepholeLSTMCell and CoupledLSTMCell: activations and biases as written', () => {
    const p = both('RNN(PeepholeLSTMCell(4, recurrent_activation="hard_sigmoid", use_bias=False))').cell;
    assert.match(p, /`f_t = hard_sigmoid\(W_f·x_t \+ U_f·h_\{t-1\} \+ p_f ⊙ c_\{t-1\}\)`/);
    assert.match(p, /`4 × \(units × \(features \+ units\)\) \+ 3 × units`/);
    assert.match(p, /Keras 2/);
    const c = both('RNN(CoupledLSTMCell(4, activation="selu"))').rnn;
    assert.match(c, /candidate `c̃_t = selu\(W_c·x_t \+ U_c·h_\{t-1\} \+ b_c\)`/);
    assert.match(c, /`h_t = o_t ⊙ selu\(c_t\)`/);
  });

  it('layer-normalized cells: their ε, activation and bias; TF Addons named as the source', () => {
    const s = both('RNN(LayerNormSimpleRNNCell(4, layernorm_epsilon=0.01, use_bias=False, activation="relu"))').cell;
    assert.match(s, /`h_t = relu\(g ⊙ \(a_t − μ_t\) \/ √\(σ_t² \+ 0\.01\)\)`/);
    assert.match(s, /No shift \(use_bias=False\)/);
    assert.match(s, /TensorFlow Addons/);
    const l = both('RNN(LayerNormLSTMCell(4, norm_epsilon=0.1))').rnn;
    assert.match(l, /√\(σ² \+ 0\.1\)/);
    assert.match(l, /`c_t = LN_c\(f_t ⊙ c_\{t-1\} \+ i_t ⊙ tanh\(z_c\)\)`/);
    assert.ok(l.includes('`4 × (4 × (2 + 4) + 4) + 18 × 4 = 184`'), l);
    const g = both('RNN(LayerNormGRUCell(4, recurrent_activation="hard_sigmoid"))').cell;
    assert.match(g, /update `z_t = hard_sigmoid\(x_z \+ h_z \+ b_z\)`/);
    assert.match(g, /No library had it/);
  });

  it('the Keras cells show the equations of their layers for their arguments', () => {
    assert.match(both('RNN(LSTMCell(4, activation="relu"))').cell, /`h_t = o_t ⊙ relu\(c_t\)`/);
    assert.match(both('RNN(GRUCell(4, reset_after=False))').rnn, /reset_after=False/);
    assert.match(both('RNN(SimpleRNNCell(4, use_bias=False))').cell, /`h_t = tanh\(W·x_t \+ U·h_\{t-1\}\)`/);
  });
});
