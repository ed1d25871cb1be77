// The engine's analysis of the shipped examples, trained through the worker with few epochs:
// the analysed-document contract (src/language/model.ts) and the worker agree end to end.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../src/language/analyzer';
import type { DataSpec } from '../../src/language/model';
import { listRuns } from '../../src/training/runStore';
import { startTraining } from '../../src/training/runner';
import { WORKER_OPTIONS } from './training-fixtures';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** Smaller data for the generators, so a test epoch takes a moment. */
function shrink(spec: DataSpec): DataSpec {
  if (spec.kind === 'echo') return { ...spec, samples: 300 };
  if (spec.kind === 'sentiment') return { ...spec, samples: 200, maxlen: 40 };
  return spec;
}

describe('training worker on the analysed examples', function () {
  this.timeout(120000);
  let workspace: string;
  before(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'seqmodel-examples-'));
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  for (const example of ['forecast', 'echo', 'imdb_sentiment', 'lstm_variants']) {
    it(`trains every model of examples/${example}.seqmodel's train statements`, async () => {
      const analysis = analyze(readFileSync(path.join(EXAMPLES, `${example}.seqmodel`), 'utf8'));
      assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.ok(analysis.trains.length > 0);
      for (const train of analysis.trains) {
        const data = analysis.data.find((d) => d.name === train.data)!;
        for (const name of train.models) {
          const model = analysis.models.find((m) => m.name === name)!;
          const predicts = analysis.predicts.filter((p) => p.model === name);
          const outcome = await startTraining(
            {
              model,
              data: { ...data, spec: shrink(data.spec) },
              settings: { ...train.settings, epochs: 2 },
              predicts,
              backend: 'auto',
              baseDir: EXAMPLES,
              workspaceFolder: EXAMPLES,
              runsDir: path.join(workspace, 'runs'),
            },
            WORKER_OPTIONS,
          ).result;
          if (outcome.status !== 'done') assert.fail(`${name}: ${JSON.stringify(outcome)}`);
          const { result } = outcome;
          assert.equal(result.history.loss.length, 2, name);
          assert.ok(result.history.loss.every(Number.isFinite), name);
          if (train.settings.validationSplit > 0) assert.equal(result.history.val_loss.length, 2);
          for (const metric of train.settings.metrics) assert.equal(result.history[metric].length, 2, `${name} ${metric}`);
          assert.equal(result.predictions.length, predicts.length);
          for (const p of result.predictions) assert.equal(p.error, undefined, `${name}: ${p.error}`);
          assert.equal((await listRuns(path.join(workspace, 'runs'), name)).length >= 1, true);
        }
      }
    });
  }
});
