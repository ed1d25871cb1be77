// Hand-made analysed documents (ModelInfo, DataInfo, TrainSettings) for the training tests,
// so they do not depend on the language engine. Shapes and counts follow Keras's formulas.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lookupLayer, type ConfigValue, type DataInfo, type DataSpec, type LayerInfo, type ModelInfo, type PredictInfo, type Shape, type TrainSettings } from '../../src/language';
import type { RunnerOptions, TrainingRequest } from '../../src/training/runner';

const span = { start: 0, end: 0 };

export function layer(type: string, config: Record<string, ConfigValue>, name: string, inputShape: Shape, outputShape: Shape, params: number): LayerInfo {
  return {
    type,
    category: lookupLayer(type)!.category,
    config,
    name,
    inputShape,
    outputShapes: [outputShape],
    params: { total: params, trainable: params, nonTrainable: 0 },
    formula: '',
    span,
  };
}

export function modelInfo(name: string, inputShape: Shape | null, layers: LayerInfo[]): ModelInfo {
  const total = layers.reduce((s, l) => s + l.params.total, 0);
  return {
    name,
    span,
    nameSpan: span,
    inputShape,
    layers,
    outputShapes: layers[layers.length - 1].outputShapes,
    params: { total, trainable: total, nonTrainable: 0 },
    valid: true,
  };
}

/** input(steps, features) → LSTM(units, activation) → Dense(outputs). */
export function lstmModel(name: string, steps: number, features: number, units: number, outputs: number, activation = 'tanh'): ModelInfo {
  const lstmParams = 4 * (units * (features + units) + units);
  return modelInfo(name, [null, steps, features], [
    layer('LSTM', { units, activation }, 'lstm', [null, steps, features], [null, units], lstmParams),
    layer('Dense', { units: outputs }, 'dense', [null, units], [null, outputs], outputs * (units + 1)),
  ]);
}

/** input(steps, features) → SimpleRNN(units) → Dense(outputs, activation). */
export function rnnModel(name: string, steps: number, features: number, units: number, outputs: number, activation = 'linear'): ModelInfo {
  return modelInfo(name, [null, steps, features], [
    layer('SimpleRNN', { units }, 'simple_rnn', [null, steps, features], [null, units], units * (features + units) + units),
    layer('Dense', { units: outputs, activation }, 'dense', [null, units], [null, outputs], outputs * (units + 1)),
  ]);
}

export function dataInfo(name: string, spec: DataSpec, xShape: Shape, yShape: Shape): DataInfo {
  return { name, span, nameSpan: span, spec, xShape, yShape };
}

export const SEED_SERIES: DataSpec = {
  kind: 'window',
  series: { kind: 'literal', values: [10, 20, 30, 40, 50, 60, 70, 80, 90].map((v) => [v]) },
  steps: 3,
  horizon: 2,
};

export function settings(more: Partial<TrainSettings> = {}): TrainSettings {
  return {
    optimizer: { name: 'adam', args: { learning_rate: 0.01 } },
    loss: 'mse',
    metrics: [],
    epochs: 5,
    batchSize: 32,
    validationSplit: 0,
    shuffle: true,
    seed: 1,
    ...more,
  };
}

export function predict(model: string, input: number[][]): PredictInfo {
  return { span, model, input };
}

export function request(workspace: string, more: Partial<TrainingRequest> = {}): TrainingRequest {
  const model = lstmModel('lstm', 3, 1, 8, 2, 'relu');
  return {
    model,
    data: dataInfo('series', SEED_SERIES, [5, 3, 1], [5, 2]),
    settings: settings(),
    predicts: [predict('lstm', [[70], [80], [90]])],
    backend: 'cpu',
    baseDir: workspace,
    workspaceFolder: workspace,
    runsDir: path.join(workspace, '.seqmodel', 'runs'),
    ...more,
  };
}

/** Runs src/training/worker.ts through tsx, so the tests need no build. */
export const WORKER_OPTIONS: RunnerOptions = {
  workerPath: path.join(__dirname, '..', '..', 'src', 'training', 'worker.ts'),
  // By file URL, so it resolves whatever the working directory.
  execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
  maxOldSpaceSizeMb: 1024,
};
