// Measures the Embedding gradient (UnsortedSegmentSum) and a full Embedding training step on
// the wasm and cpu backends, with the kernel from src/training/kernels against tfjs's own cpu
// kernel (wasm has none). Run: node --import tsx bench/embedding-kernel.ts
import * as tf from '../src/training/tf';
import { initBackend } from '../src/training/backend';
import { buildModel } from '../src/training/build';
import { lookupLayer, type LayerConfig, type LayerInfo, type ModelInfo } from '../src/language';

const VOCAB = 10000;
const DIM = 32;
const LENGTH = 500;
const BATCH = 32;

// tfjs's own cpu kernel, saved before initBackend replaces it.
const tfjsCpuKernel = tf.getKernel('UnsortedSegmentSum', 'cpu');

function randomIds(n: number): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7919) % VOCAB), 'int32');
}

function time(f: () => void, repeat = 1): number {
  const start = performance.now();
  for (let i = 0; i < repeat; i++) f();
  return (performance.now() - start) / repeat;
}

function segmentSumMs(ids: number): number {
  const x = tf.randomNormal([ids, DIM]);
  const segmentIds = randomIds(ids);
  tf.unsortedSegmentSum(x, segmentIds, VOCAB).dispose(); // warm-up
  const ms = time(() => tf.unsortedSegmentSum(x, segmentIds, VOCAB).dataSync(), 5);
  tf.dispose([x, segmentIds]);
  return ms;
}

function tfjsCpuSegmentSumMs(ids: number): number {
  const x = tf.randomNormal([ids, DIM]);
  const segmentIds = randomIds(ids);
  const backend = tf.backend() as unknown as { disposeData(id: tf.DataId): void };
  const ms = time(() => {
    const out = tfjsCpuKernel.kernelFunc({ inputs: { x, segmentIds }, backend, attrs: { numSegments: VOCAB } }) as tf.TensorInfo;
    backend.disposeData(out.dataId);
  });
  tf.dispose([x, segmentIds]);
  return ms;
}

/** Just what buildModel reads; the shapes and counts are the engine's business. */
function layerInfo(layer: LayerConfig, i: number): LayerInfo {
  const span = { start: 0, end: 0 };
  return { ...layer, category: lookupLayer(layer.type)!.category, name: `layer_${i}`, inputShape: [], outputShapes: [], formula: '', span, params: { total: 0, trainable: 0, nonTrainable: 0 } };
}

const sentimentLstm: ModelInfo = {
  name: 'bench_lstm', span: { start: 0, end: 0 }, nameSpan: { start: 0, end: 0 }, inputShape: null, valid: true,
  outputShapes: [[null, 1]], params: { total: 328353, trainable: 328353, nonTrainable: 0 },
  layers: ([
    { type: 'Embedding', config: { input_dim: VOCAB, output_dim: DIM } },
    { type: 'LSTM', config: { units: 32 } },
    { type: 'Dense', config: { units: 1, activation: 'sigmoid' } },
  ] as LayerConfig[]).map(layerInfo),
};

async function trainingSamplesPerSecond(): Promise<number> {
  const model = buildModel(sentimentLstm, { seed: 1 });
  model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy' });
  const x = tf.tensor2d(Array.from({ length: BATCH * LENGTH }, (_, i) => (i * 104729) % VOCAB), [BATCH, LENGTH]);
  const y = tf.tensor2d(Array.from({ length: BATCH }, (_, i) => i % 2), [BATCH, 1]);
  await model.trainOnBatch(x, y); // warm-up
  const batches = 2;
  const start = performance.now();
  for (let i = 0; i < batches; i++) await model.trainOnBatch(x, y);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return (batches * BATCH) / seconds;
}

async function main(): Promise<void> {
  const ids = BATCH * LENGTH;
  for (const name of ['wasm', 'cpu'] as const) {
    await initBackend(name);
    console.log(`[${name}] UnsortedSegmentSum ${ids} ids × ${DIM} into ${VOCAB}: ${segmentSumMs(ids).toFixed(1)} ms`);
    if (name === 'cpu') {
      const small = 100;
      const ms = tfjsCpuSegmentSumMs(small);
      console.log(`[cpu] tfjs's own kernel, only ${small} ids: ${ms.toFixed(0)} ms (≈ ${((ms * ids) / small / 60000).toFixed(1)} min for ${ids} ids, linear in ids)`);
    }
    console.log(`[${name}] Embedding(${VOCAB}, ${DIM}) → LSTM(32) → Dense(1), length ${LENGTH}, batch ${BATCH}: ${(await trainingSamplesPerSecond()).toFixed(1)} samples/s`);
  }
}

void main();
