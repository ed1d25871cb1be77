// The engine's analysis of the shipped examples, trained through the worker with few epochs:
// the analysed-document contract (src/language/model.ts) and the worker agree end to end.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/language';
import type { DataSpec } from '../../src/language';
import { listRuns } from '../../src/training/runStore';
import { startTraining } from '../../src/training/runner';
import { jobProblem, runsDirOf, trainingRequest, trainJobs } from '../../src/training/trainPlan';
import { WORKER_OPTIONS } from './training-fixtures';
import { useTempDir } from '../helpers/temp-dir';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** Smaller data for the generators, so a test epoch takes a moment. */
function shrink(spec: DataSpec): DataSpec {
  if (spec.kind === 'echo') return { ...spec, samples: 300 };
  if (spec.kind === 'sentiment') return { ...spec, samples: 200, maxlen: 40 };
  return spec;
}

describe('training worker on the analysed examples', function () {
  this.timeout(120000);
  const workspace = useTempDir('examples');

  for (const example of ['forecast', 'echo', 'imdb_sentiment', 'lstm_variants']) {
    it(`trains every model of examples/${example}.seqmodel's train statements`, async () => {
      const analysis = analyze(readFileSync(path.join(EXAMPLES, `${example}.seqmodel`), 'utf8'));
      assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
      // The models and requests the CLI and the editor would train, for 2 epochs on less data.
      const jobs = trainJobs(analysis);
      assert.ok(jobs.length > 0);
      for (const job of jobs) {
        const name = job.model.name;
        assert.equal(jobProblem(analysis, job), null);
        const request = trainingRequest(analysis, job, {
          documentPath: path.join(EXAMPLES, `${example}.seqmodel`),
          workspaceFolder: workspace(),
          backend: 'auto',
          epochsOverride: 2,
          allowOutside: false,
          save: true,
          batchRate: 0,
        });
        // Data files stay where the example names them (beside it), runs go to the temporary workspace.
        const outcome = await startTraining({ ...request, data: { ...request.data, spec: shrink(request.data.spec) }, workspaceFolder: EXAMPLES }, WORKER_OPTIONS).result;
        if (outcome.status !== 'done') assert.fail(`${name}: ${JSON.stringify(outcome)}`);
        const { result } = outcome;
        assert.equal(result.history.loss.length, 2, name);
        assert.ok(result.history.loss.every(Number.isFinite), name);
        if (job.train.settings.validationSplit > 0) assert.equal(result.history.val_loss.length, 2);
        for (const metric of job.train.settings.metrics) assert.equal(result.history[metric].length, 2, `${name} ${metric}`);
        assert.equal(result.predictions.length, request.predicts.length);
        for (const p of result.predictions) assert.equal(p.error, undefined, `${name}: ${p.error}`);
        assert.equal((await listRuns(runsDirOf(workspace()), name)).length >= 1, true);
      }
    });
  }
});
