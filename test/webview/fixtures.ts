// Analysed models and settings shaped like the course notebooks, shared by the unit and browser
// tests. The counts are Keras's: LSTM(50) on (3, 1) has 4 × (50 × (1 + 50) + 50) = 10,400.
import { lookupLayer, type LayerInfo, type ModelInfo, type TrainSettings } from '../../src/language';
import type { RunMeta } from '../../src/training/runStore';
import type { ComparedRun } from '../../webview/protocol';

const span = { start: 0, end: 0 };

function layer(name: string, type: string, inputShape: (number | null)[], outputShape: (number | null)[], total: number, formula: string, extra: Partial<LayerInfo> = {}): LayerInfo {
  return {
    name,
    type,
    category: lookupLayer(type)!.category,
    config: {},
    inputShape,
    outputShapes: [outputShape],
    params: { total, trainable: total, nonTrainable: 0 },
    formula,
    span,
    ...extra,
  };
}

export const forecastModel: ModelInfo = {
  name: 'lstm',
  span,
  nameSpan: span,
  inputShape: [null, 3, 1],
  layers: [
    layer('lstm', 'LSTM', [null, 3, 1], [null, 50], 10400, '4 × (50 × (1 + 50) + 50) = 10,400', { span: { start: 10, end: 37 } }),
    layer('dense', 'Dense', [null, 50], [null, 2], 102, '50 × 2 + 2 = 102'),
  ],
  outputShapes: [[null, 2]],
  params: { total: 10502, trainable: 10502, nonTrainable: 0 },
  valid: true,
};

export const rnnBnModel: ModelInfo = {
  name: 'rnn_bn',
  span,
  nameSpan: span,
  inputShape: [null, 3, 1],
  layers: [
    layer('simple_rnn', 'SimpleRNN', [null, 3, 1], [null, 3, 50], 2600, '50 × (1 + 50) + 50 = 2,600'),
    {
      ...layer('batch_normalization', 'BatchNormalization', [null, 3, 50], [null, 3, 50], 200, '4 × 50 = 200'),
      params: { total: 200, trainable: 100, nonTrainable: 100 },
    },
    layer('simple_rnn_1', 'SimpleRNN', [null, 3, 50], [null, 50], 5050, '50 × (50 + 50) + 50 = 5,050'),
    layer('dense', 'Dense', [null, 50], [null, 2], 102, '50 × 2 + 2 = 102'),
  ],
  outputShapes: [[null, 2]],
  params: { total: 7952, trainable: 7852, nonTrainable: 100 },
  valid: true,
};

const innerLstm = layer('forward_lstm', 'LSTM', [null, 5, 10], [null, 5, 25], 3600, '4 × (25 × (10 + 25) + 25) = 3,600');

export const echoModel: ModelInfo = {
  name: 'echo',
  span,
  nameSpan: span,
  inputShape: [null, 5, 10],
  layers: [
    { ...layer('bidirectional', 'Bidirectional', [null, 5, 10], [null, 5, 50], 7200, '2 × 3,600 = 7,200'), inner: innerLstm },
    layer('time_distributed', 'TimeDistributed', [null, 5, 50], [null, 5, 10], 510, '50 × 10 + 10 = 510', {
      inner: layer('dense', 'Dense', [null, 50], [null, 10], 510, '50 × 10 + 10 = 510'),
    }),
    layer('lstm', 'LSTM', [null, 5, 10], [null, 10], 840, '4 × (10 × (10 + 10) + 10) = 840', {
      outputShapes: [[null, 10]],
    }),
    layer('dense_1', 'Dense', [null, 10], [null, 10], 110, '10 × 10 + 10 = 110'),
  ],
  outputShapes: [[null, 10]],
  params: { total: 8660, trainable: 8660, nonTrainable: 0 },
  valid: true,
};

export const stateModel: ModelInfo = {
  name: 'encoder',
  span,
  nameSpan: span,
  inputShape: [null, 30, 3],
  layers: [
    {
      ...layer('lstm', 'LSTM', [null, 30, 3], [null, 30, 64], 17408, '4 × (64 × (3 + 64) + 64) = 17,408'),
      outputShapes: [
        [null, 30, 64],
        [null, 64],
        [null, 64],
      ],
    },
  ],
  outputShapes: [
    [null, 30, 64],
    [null, 64],
    [null, 64],
  ],
  params: { total: 17408, trainable: 17408, nonTrainable: 0 },
  valid: true,
};

export const settings: TrainSettings = {
  optimizer: { name: 'adam', args: { learning_rate: 0.001 } },
  loss: 'mse',
  metrics: ['mae'],
  epochs: 200,
  batchSize: 32,
  validationSplit: 0.2,
  shuffle: true,
  seed: 42,
};

export const classificationSettings: TrainSettings = {
  ...settings,
  loss: 'categorical_crossentropy',
  metrics: ['accuracy'],
};

/** A loss curve that falls like training does, with deterministic noise. */
export function lossCurve(epochs: number, start: number, end: number, noise: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: deterministic, so screenshots compare across runs.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return Array.from({ length: epochs }, (_, i) => {
    const base = end + (start - end) * Math.exp(-i / (epochs / 6));
    return Math.max(1e-6, base * (1 + noise * (random() - 0.5)));
  });
}

/** A saved run as the comparison table receives it; `over` replaces the meta fields given. */
export function comparedRun(id: string, over: Partial<RunMeta> & { file?: string | null; history?: Record<string, number[]>; status?: ComparedRun['status'] } = {}): ComparedRun {
  const { file = 'forecast.seqmodel', history = { loss: [1, 0.5, 0.25], val_loss: [1.2, 0.6, 0.7] }, status = 'done', ...meta } = over;
  return {
    path: `/work/.seqmodel/runs/${meta.model ?? 'lstm'}/${id}`,
    id,
    file,
    status,
    history,
    meta: {
      status,
      model: 'lstm',
      data: 'series',
      settings,
      backend: 'wasm',
      seconds: 12.5,
      epochs: 3,
      samples: { train: 4, validation: 1 },
      params: 10_502,
      startedAt: '2026-11-22T01:47:00.000Z',
      finishedAt: '2026-11-22T01:47:12.500Z',
      versions: {},
      ...meta,
    },
  };
}
