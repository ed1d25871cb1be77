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
