import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis } from '../../src/language';
import { expandDefaults } from './snippetExpansion';

// The snippets run through the language engine: inserted with their defaults they must be
// error-free programs whose shapes and parameter counts are the ones Keras prints for the course models.

const snippets: Record<string, { body: string[] }> = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../snippets/seqmodel.json'), 'utf8'),
);

function analyzeSnippets(...names: string[]): Analysis {
  const text = names
    .map((n) => {
      assert.ok(snippets[n], `snippet "${n}" exists`);
      return expandDefaults(snippets[n].body.join('\n'));
    })
    .join('\n');
  return analyze(text);
}

function errorsOf(a: Analysis): string[] {
  return a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.code}: ${d.message}`);
}

/** Per layer: "Type shapes params", e.g. "LSTM [[null,50]] 10400". */
function layersOf(a: Analysis, model: string): string[] {
  const m = a.models.find((x) => x.name === model);
  assert.ok(m, `model ${model} in ${a.models.map((x) => x.name)}`);
  return m.layers.map((l) => `${l.type} ${JSON.stringify(l.outputShapes)} ${l.params.total}`);
}

describe('snippets through the language engine', () => {
  const seeds: [string, string, string[]][] = [
    ['Forecasting SimpleRNN (Tutorial 3)', 'rnn', ['SimpleRNN [[null,50]] 2600', 'Dense [[null,2]] 102']],
    ['Forecasting LSTM (Tutorial 3)', 'lstm', ['LSTM [[null,50]] 10400', 'Dense [[null,2]] 102']],
    ['Echo sequence classifier (the LSTMs lecture)', 'echo_lstm', ['LSTM [[null,25]] 3600', 'Dense [[null,10]] 260']],
    ['Stacked LSTM', 'stacked', ['LSTM [[null,null,4]] 176', 'LSTM [[null,null,5]] 200']],
    ['LSTM with return_state', 'with_state', ['LSTM [[null,30,64],[null,64],[null,64]] 17408']],
    ['IMDB sentiment (Embedding + LSTM)', 'imdb', ['Embedding [[null,null,32]] 320000', 'LSTM [[null,32]] 8320', 'Dense [[null,1]] 33']],
  ];
  for (const [name, model, layers] of seeds) {
    it(`"${name}" analyses without errors to Keras's shapes and counts`, () => {
      const a = analyzeSnippets(name);
      assert.deepEqual(errorsOf(a), []);
      assert.deepEqual(layersOf(a, model), layers);
    });
  }

  it('the small snippets inserted one after another make an error-free program', () => {
    const a = analyzeSnippets('let constant', 'data window', 'model block', 'train block', 'predict');
    assert.deepEqual(errorsOf(a), []);
    assert.deepEqual(layersOf(a, 'lstm'), ['LSTM [[null,50]] 10400', 'Dense [[null,1]] 51']);
    assert.deepEqual(a.trains.map((t) => [t.models, t.data]), [[['lstm'], 'series']]);
    assert.deepEqual(a.predicts.map((p) => p.model), ['lstm']);
  });
});
