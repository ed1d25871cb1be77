// Trains one model of a .seqmodel document (an example's text, as written or cut down) through
// the real worker process, as the document's train statement says, on the wasm backend so that a
// seeded run is the same run on every machine.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis } from '../../src/language';
import type { DoneMessage } from '../../src/training/protocol';
import { startTraining, type RunnerOptions } from '../../src/training/runner';
import { WORKER_OPTIONS } from '../unit/training-fixtures';

export const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The text of examples/<name>. */
export function exampleText(name: string): string {
  return readFileSync(path.join(EXAMPLES, name), 'utf8');
}

/** The analysis of a document's text; fails the test on an error diagnostic. */
export function analyzeText(text: string, what = 'document'): Analysis {
  const analysis = analyze(text);
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), [], what);
  return analysis;
}

/** Trains `modelName` through the worker (data paths relative to examples/); extra env for the worker. */
export async function trainModel(analysis: Analysis, modelName: string, env?: NodeJS.ProcessEnv): Promise<DoneMessage> {
  const model = analysis.models.find((m) => m.name === modelName);
  const block = analysis.trains.find((t) => t.models.includes(modelName));
  const data = analysis.data.find((d) => d.name === block?.data);
  assert.ok(model && block && data, `${modelName} is trained in the document`);
  const options: RunnerOptions = env ? { ...WORKER_OPTIONS, env } : WORKER_OPTIONS;
  const outcome = await startTraining(
    {
      model,
      data,
      settings: block.settings,
      predicts: analysis.predicts.filter((p) => p.model === modelName),
      backend: 'wasm',
      baseDir: EXAMPLES,
      workspaceFolder: EXAMPLES,
      runsDir: null,
    },
    options,
  ).result;
  if (outcome.status !== 'done') assert.fail(`${modelName}: ${JSON.stringify(outcome).slice(0, 2000)}`);
  return outcome.result;
}
