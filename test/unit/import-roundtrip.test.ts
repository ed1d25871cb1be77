import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importKeras } from '../../src/import';
import { analyze, type Analysis, type LayerInfo, type ModelInfo } from '../../src/language';
import { exportKeras } from '../../src/language';
import { ROOT } from '../helpers/engine';

// Export to Keras, then import the Python: every model of every example comes back with the
// same analysis (layers, arguments, shapes, counts) and, where it is trained, the same data
// and train settings. Export writes the input shape on the first layer (input_shape=), as
// Keras code does, where the example may have an input(...) line: the shapes are compared,
// not where they were written.

const INPUT_ARGS = ['input_shape', 'batch_input_shape'];

function layerView(l: LayerInfo): unknown {
  const config = Object.fromEntries(Object.entries(l.config).filter(([k]) => !INPUT_ARGS.includes(k)));
  return { type: l.type, config, input: l.inputShape, outputs: l.outputShapes, params: l.params, inner: l.inner && layerView(l.inner) };
}

function modelView(m: ModelInfo): unknown {
  return { input: m.inputShape, layers: m.layers.map(layerView), outputs: m.outputShapes, params: m.params, valid: m.valid };
}

function training(a: Analysis, model: string): unknown {
  const train = a.trains.find((t) => t.models.includes(model));
  const data = train && a.data.find((d) => d.name === train.data);
  return { settings: train?.settings, data: data?.spec, x: data?.xShape, y: data?.yShape, predicts: a.predicts.filter((p) => p.model === model).map((p) => p.input) };
}

const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.seqmodel'));

describe('Import from Keras: round trip through Export to Keras', () => {
  it('covers every example', () => {
    assert.ok(examples.length >= 6, examples.join(', '));
  });

  for (const file of examples) {
    const original = analyze(readFileSync(join(ROOT, 'examples', file), 'utf8'));
    for (const model of original.models) {
      it(`${file}: ${model.name}`, () => {
        const python = exportKeras(original, model.name, { fileName: file });
        const result = importKeras({ fileName: `${model.name}.py`, content: python });
        const back = analyze(result.text);
        assert.deepEqual(result.warnings, []);
        assert.deepEqual(
          back.diagnostics.filter((d) => d.severity === 'error'),
          [],
        );
        assert.equal(back.models.length, 1);
        const again = back.models[0];
        assert.deepEqual(modelView(again), modelView(model));
        assert.deepEqual(training(back, again.name), training(original, model.name));
      });
    }
  }
});
