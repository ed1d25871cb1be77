import * as assert from 'node:assert/strict';
import { analyze } from '../../src/language';
import { freeFileName, MODEL_TEMPLATES, modelTemplate } from '../../src/extension/newModel/templates';
import { applyFix } from '../helpers/fixes';

// "SeqModel: New Model File" must land a newcomer in a file that is right as it stands: no
// diagnostic at all (not even a hint), every model valid with Keras's exact counts, and a train
// block on built-in data so Train works at once.

/** Per layer: "Type output-shape params". */
function layers(text: string, model: string): string[] {
  const m = analyze(text).models.find((x) => x.name === model);
  assert.ok(m, `model ${model}`);
  return m.layers.map((l) => `${l.type} ${JSON.stringify(l.outputShapes[0])} ${l.params.total}`);
}

describe('New Model File templates', () => {
  const offered = MODEL_TEMPLATES.filter((t) => !t.hidden);

  it('offers forecasting, classification and text', () => {
    assert.deepEqual(offered.map((t) => t.id), ['forecasting', 'classification', 'text']);
  });

  for (const template of offered) {
    it(`"${template.label}" analyses with no diagnostic and trains every model on built-in data`, () => {
      const analysis = analyze(template.content);
      assert.deepEqual(analysis.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
      assert.ok(analysis.models.length > 0 && analysis.models.every((m) => m.valid));
      const trained = new Set(analysis.trains.flatMap((t) => t.models));
      for (const m of analysis.models) assert.ok(trained.has(m.name), `${m.name} is trained`);
      assert.ok(!/csv\(/.test(template.content), 'no data file to provide');
    });
  }

  it('has the exact Keras counts its comments state', () => {
    assert.deepEqual(layers(modelTemplate('forecasting')!.content, 'forecaster'), ['LSTM [null,32] 4352', 'Dense [null,1] 33']);
    assert.deepEqual(layers(modelTemplate('classification')!.content, 'classifier'), ['GRU [null,32] 4224', 'Dense [null,10] 330']);
    assert.deepEqual(layers(modelTemplate('text')!.content, 'sentiment'), ['Embedding [null,null,32] 160000', 'LSTM [null,32] 8320', 'Dense [null,1] 33']);
    const totals = ['forecasting', 'classification', 'text'].map((id) => analyze(modelTemplate(id)!.content).models[0].params.total);
    assert.deepEqual(totals, [4385, 4554, 168353]);
  });

  it('the walkthrough exercise has exactly one shape error, which its quick fix removes', () => {
    const text = modelTemplate('fix-shapes')!.content;
    const diagnostics = analyze(text).diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.code), ['missing-return-sequences']);
    const fix = diagnostics[0].fixes?.find((f) => f.preferred) ?? diagnostics[0].fixes?.[0];
    assert.ok(fix, 'a quick fix is offered');
    const fixed = applyFix(text, fix);
    assert.deepEqual(analyze(fixed).diagnostics, []);
    assert.match(fixed, /LSTM\(32, return_sequences=True\)/);
    assert.deepEqual(layers(fixed, 'stacked'), ['LSTM [null,20,32] 4352', 'LSTM [null,16] 3136', 'Dense [null,1] 17']);
  });

  it('names a new file after its template without overwriting one', () => {
    assert.equal(freeFileName('text', new Set()), 'text.seqmodel');
    assert.equal(freeFileName('text', new Set(['text.seqmodel', 'text-2.seqmodel'])), 'text-3.seqmodel');
  });
});
