// The activity-recognition lab: the committed recording is what its generator writes, and the
// example's models, trained through the worker on a small recording they have not seen, beat
// chance and report their classes by name for the confusion matrix.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { activityRecording } from '../../scripts/generate-activity';
import { analyze } from '../../src/language';
import { startTraining } from '../../src/training/runner';
import { trainingRequest, trainJobs } from '../../src/training/trainPlan';
import { WORKER_OPTIONS } from './training-fixtures';
import { useTempDir } from '../helpers/temp-dir';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'activity.seqmodel');
const CLASSES = ['running', 'sitting', 'stairs', 'standing', 'walking'];

describe('the activity-recognition lab (examples/activity.seqmodel)', function () {
  this.timeout(180000);
  const workspace = useTempDir('activity');

  it('ships the recording its seeded generator writes: five activities in every round, under 1 MB', () => {
    const committed = readFileSync(path.join(ROOT, 'examples', 'data', 'activity.csv'), 'utf8');
    assert.equal(activityRecording(), committed);
    assert.ok(committed.length < 1_000_000, `${committed.length} bytes`);
    const labels = committed.trim().split('\n').slice(1).map((line) => line.split(',')[4]);
    assert.deepEqual([...new Set(labels)].sort(), CLASSES);
    // The last fifth (the validation split) holds every activity.
    assert.deepEqual([...new Set(labels.slice(Math.floor(labels.length * 0.8)))].sort(), CLASSES);
    // Another seed is another recording.
    assert.notEqual(activityRecording({ seed: 8, rounds: 1 }), activityRecording({ seed: 7, rounds: 1 }));
  });

  it('trains both models on a small unseen recording to better than chance, classes named', async () => {
    writeFileSync(path.join(workspace(), 'small.csv'), activityRecording({ seed: 3, rounds: 3 }));
    const analysis = analyze(readFileSync(EXAMPLE, 'utf8'));
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
    const jobs = trainJobs(analysis);
    assert.deepEqual(jobs.map((j) => j.model.name), ['lstm', 'conv_lstm']);
    for (const job of jobs) {
      const request = trainingRequest(analysis, job, {
        documentPath: path.join(workspace(), 'activity.seqmodel'),
        workspaceFolder: workspace(),
        backend: 'auto',
        epochsOverride: 12,
        allowOutside: false,
        save: false,
        batchRate: 0,
      });
      const spec = request.data.spec;
      assert.ok(spec.kind === 'labelledWindows');
      // Windows without overlap: about 230 of them, so a test epoch takes a moment.
      const small = { ...spec, series: { ...spec.series, path: 'small.csv' }, stride: 40 };
      const run = startTraining({ ...request, data: { ...request.data, spec: small } }, WORKER_OPTIONS);
      let classes: string[] | undefined;
      run.on('ready', (r) => (classes = r.classes));
      const outcome = await run.result;
      if (outcome.status !== 'done') assert.fail(`${job.model.name}: ${JSON.stringify(outcome)}`);
      const { result } = outcome;
      const accuracy = result.history.val_accuracy.at(-1)!;
      // Five classes: chance is 0.2 (measured: lstm 0.63, conv_lstm 1.0 after 12 epochs).
      assert.ok(accuracy > 0.4, `${job.model.name}: val_accuracy ${accuracy}`);
      // Reported before the first epoch (the CLI prints them), in output order.
      assert.deepEqual(classes, CLASSES);
      const evaluation = result.evaluation;
      assert.ok(evaluation?.task === 'classification');
      assert.deepEqual(evaluation.classNames, CLASSES);
      assert.ok(evaluation.expected.length > 20);
      assert.ok(evaluation.samples.every((s) => s.probabilities.length === 5 && s.input.length === 40 && s.input[0].length === 3));
    }
  });
});
