// Initializers, regularizers and constraints written as calls keep their arguments, checked
// like a layer's, and every consumer (export, hover, completion) shows those values.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { analyze } from '../../src/language';
import { exportKeras } from '../../src/language';
import { resolveObject } from '../../src/language';
import { completions } from '../../src/server/completion';
import { hover } from '../../src/server/hover';
import { applyFix } from '../helpers/fixes';
import { single } from '../helpers/engine';

const REGULARIZED = 'LSTM(8, kernel_regularizer=l2(0.001), kernel_initializer=RandomNormal(stddev=0.1, seed=3), recurrent_constraint=max_norm(3))';

function errors(body: string) {
  const { analysis } = single(`  input(3, 1)\n  ${body}`);
  return analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, message: d.message, at: analysis.text.slice(d.span.start, d.span.end), fixes: d.fixes }));
}

describe('initializers, regularizers and constraints as calls', () => {
  it('binds a call with every argument, Keras defaults filled in, under its Keras class', () => {
    const { model } = single(`  input(3, 1)\n  ${REGULARIZED}`);
    const config = model.layers[0].config;
    assert.deepEqual(config.kernel_regularizer, { type: 'L2', config: { l2: 0.001 } });
    assert.deepEqual(config.kernel_initializer, { type: 'RandomNormal', config: { mean: 0, stddev: 0.1, seed: 3 } });
    assert.deepEqual(config.recurrent_constraint, { type: 'MaxNorm', config: { max_value: 3, axis: 0 } });
    assert.ok(model.valid);
  });

  it('keeps a name as written, meaning the call with its defaults', () => {
    const { model } = single('  input(3, 1)\n  Dense(2, kernel_regularizer="l2", bias_regularizer=l1_l2, kernel_initializer=he_normal)');
    const config = model.layers[0].config;
    assert.equal(config.kernel_regularizer, 'l2');
    assert.deepEqual(resolveObject('regularizer', config.kernel_regularizer), { type: 'L2', config: { l2: 0.01 } });
    // tf.keras's function l1_l2 defaults to 0.01 each; the class L1L2 to 0.
    assert.deepEqual(resolveObject('regularizer', config.bias_regularizer), { type: 'L1L2', config: { l1: 0.01, l2: 0.01 } });
    assert.deepEqual(resolveObject('regularizer', { type: 'L1L2', config: { l1: 0.1 } }), { type: 'L1L2', config: { l1: 0.1, l2: 0 } });
    assert.equal(config.kernel_initializer, 'he_normal');
  });

  it("checks a call's arguments like a layer's: names, types, ranges, positions", () => {
    assert.deepEqual(errors('Dense(1, kernel_regularizer=l2(-1))').map((e) => [e.message, e.at]), [['l2 of l2 must be at least 0, not -1.', '-1']]);
    const typo = errors('Dense(1, kernel_initializer=RandomNormal(stdev=1))');
    assert.equal(typo[0].message, "RandomNormal has no argument 'stdev'. Did you mean 'stddev'?");
    assert.equal(typo[0].at, 'stdev');
    assert.equal(errors('Dense(1, kernel_regularizer=l2(0.1, 2))')[0].message, 'l2 takes at most 1 positional argument (l2).');
    assert.match(errors('Dense(1, kernel_constraint=max_norm(axis=[0, 1]))')[0].message, /^axis of max_norm must be an integer/);
    assert.match(errors('Dense(1, kernel_initializer=VarianceScaling(distribution="untruncated_normal"))')[0].message, /must be one of truncated_normal, uniform/);
  });

  it('reports an unknown name where it is written, with the closest one as a fix', () => {
    const [bare] = errors('Dense(1, kernel_initializer=glorot_unifrm)');
    assert.equal(bare.message, "kernel_initializer of Dense takes an initializer, and 'glorot_unifrm' is not one SeqModel supports. Did you mean 'glorot_uniform'?");
    assert.equal(bare.at, 'glorot_unifrm');
    const [called] = errors('Dense(1, kernel_regularizer=l3(0.1))');
    assert.equal(called.at, 'l3');
    const text = '  input(3, 1)\n  Dense(1, kernel_initializer="glorot_unifrm")';
    const { analysis } = single(text);
    const fixed = applyFix(analysis.text, analysis.diagnostics[0].fixes![0]);
    assert.match(fixed, /kernel_initializer="glorot_uniform"/);
    assert.ok(analyze(fixed).models[0].valid);
  });

  it('reports an object of the wrong kind, listing the right ones', () => {
    const [e] = errors('Dense(1, kernel_constraint=l2(0.1))');
    assert.equal(e.message, 'kernel_constraint of Dense takes a constraint, and l2 is a regularizer. Use one of max_norm, min_max_norm, non_neg, unit_norm.');
    assert.equal(e.at, 'l2');
    assert.match(errors('Dense(1, kernel_regularizer=3)')[0].message, /^kernel_regularizer of Dense must be a regularizer such as "l2" or l2\(0\.001\), or None, not an integer/);
  });

  it('exports the calls to Keras with their arguments and imports, as valid Python', function () {
    const text = `model m {\n  input(3, 1)\n  ${REGULARIZED}\n  Dense(1, kernel_regularizer=l1_l2(l1=0.1), bias_constraint="non_neg")\n}\n`;
    const code = exportKeras(analyze(text), 'm');
    assert.match(code, /^from tensorflow\.keras\.initializers import RandomNormal$/m);
    assert.match(code, /^from tensorflow\.keras\.regularizers import L2, L1L2$/m);
    assert.match(code, /^from tensorflow\.keras\.constraints import MaxNorm$/m);
    assert.match(code, /LSTM\(8, kernel_initializer=RandomNormal\(stddev=0\.1, seed=3\), kernel_regularizer=L2\(l2=0\.001\), recurrent_constraint=MaxNorm\(max_value=3\), input_shape=\(3, 1\)\)/);
    // l1_l2's own default for l2 (0.01) differs from the class's (0): it is written out.
    assert.match(code, /Dense\(1, kernel_regularizer=L1L2\(l1=0\.1, l2=0\.01\), bias_constraint='non_neg'\)/);
    try {
      execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') this.skip();
      throw err;
    }
  });

  it('hovers show the values: the layer lists them, the call shows every argument', () => {
    const text = `model m {\n  input(3, 1)\n  ${REGULARIZED}\n}\n`;
    const analysis = analyze(text);
    const at = (needle: string) => (hover(analysis, text.indexOf(needle) + 1)!.contents as { value: string }).value;
    const layer = at('LSTM');
    assert.match(layer, /`kernel_regularizer=L2\(l2=0\.001\)`/);
    assert.match(layer, /`kernel_initializer=RandomNormal\(stddev=0\.1, seed=3\)`/);
    assert.match(layer, /`recurrent_constraint=MaxNorm\(max_value=3\)`/);
    const reg = at('l2(');
    assert.match(reg, /^\*\*l2\*\* · regularizer for `kernel_regularizer`/);
    assert.match(reg, /`L2\(l2=0\.001\)`/);
    assert.match(at('RandomNormal'), /`RandomNormal\(mean=0, stddev=0\.1, seed=3\)`/);
    const train = 'data d = echo()\nmodel m {\n  input(5, 10)\n  Dense(10)\n}\ntrain m on d {\n  optimizer = sgd(0.1, momentum=0.9)\n  loss = "mse"\n}\n';
    const sgd = (hover(analyze(train), train.indexOf('sgd') + 1)!.contents as { value: string }).value;
    assert.match(sgd, /^\*\*sgd\*\* · optimizer for `optimizer`/);
    assert.match(sgd, /`SGD\(learning_rate=0\.1, momentum=0\.9, nesterov=False\)`/);
  });

  it('completes names and calls of the argument\'s kind, and the call\'s own arguments', () => {
    const labels = (text: string) => completions(analyze(text.replace('|', '')), text.indexOf('|'), { snippets: false }).map((i) => i.label);
    const values = labels('model m {\n  Dense(1, kernel_regularizer=|)\n}');
    for (const l of ['"l2"', 'l2', 'l1_l2', 'None']) assert.ok(values.includes(l), l);
    assert.ok(!values.includes('max_norm'));
    assert.ok(labels('model m {\n  Dense(1, kernel_initializer=RandomNormal(|))\n}').includes('stddev='));
  });
});
