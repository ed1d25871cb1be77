// The fused recurrent layers (src/training/fused) against tfjs-layers's step-by-step layers:
// one training step's forward and backward pass (gradients of every weight and of the input)
// on the workloads, on each backend that loads, with the fused kernels in WebAssembly
// (the whole sequence in the module) and in TypeScript (the fallback when it does not load). Layer-level only: the whole training
// loop, with data, optimizer and callbacks, is bench/training.ts.
//
// Run: npm run bench -- fused-kernels   (or: node --import tsx bench/fused-kernels.ts [--quick])
import { loadavg } from 'node:os';
import * as tf from '../src/training/tf';
import { initBackend } from '../src/training/backend';
import type { BackendName } from '../src/training/backendPreference';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../src/training/fused/layers';
import { setSimdEnabled } from '../src/training/fused/simd/module';
import { ResetAfterGRU } from '../src/training/layers/gru-reset-after';
import { ms, table, time } from './lib/measure';

const QUICK = process.argv.includes('--quick');

interface Workload {
  label: string;
  batch: number;
  steps: number;
  features: number;
  make: (fused: boolean) => tf.layers.Layer;
}

// Timing does not depend on the weights' values: skip tfjs's slow orthogonal initializer.
const FAST_INIT = { recurrentInitializer: tf.initializers.glorotUniform({}) };

const WORKLOADS: Workload[] = [
  // The seed LSTM (examples/forecast.seqmodel `lstm`): LSTM(50, relu) on windows of 3, 3 samples a batch.
  { label: 'seed LSTM(50, relu), (3, 1), batch 3', batch: 3, steps: 3, features: 1,
    make: (f) => (f ? new FusedLSTM({ ...FAST_INIT, units: 50, activation: 'relu' }) : tf.layers.lstm({ ...FAST_INIT, units: 50, activation: 'relu' })) },
  // The sentiment model's LSTM(32) after Embedding(10000, 32), reviews of 500 words.
  { label: 'sentiment LSTM(32), (500, 32), batch 32', batch: 32, steps: 500, features: 32,
    make: (f) => (f ? new FusedLSTM({ ...FAST_INIT, units: 32 }) : tf.layers.lstm({ ...FAST_INIT, units: 32 })) },
  { label: 'LSTM(64), (30, 3), batch 64, sequences', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedLSTM({ ...FAST_INIT, units: 64, returnSequences: true }) : tf.layers.lstm({ ...FAST_INIT, units: 64, returnSequences: true })) },
  { label: 'GRU(64), reset_after, (30, 3), batch 64', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedResetAfterGRU({ ...FAST_INIT, units: 64 }) : new ResetAfterGRU({ ...FAST_INIT, units: 64 })) },
  { label: 'GRU(64), reset_after=False, (30, 3), batch 64', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedGRU({ ...FAST_INIT, units: 64 }) : tf.layers.gru({ ...FAST_INIT, units: 64 })) },
  { label: 'SimpleRNN(64), (30, 3), batch 64', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedSimpleRNN({ ...FAST_INIT, units: 64 }) : tf.layers.simpleRNN({ ...FAST_INIT, units: 64 })) },
];

/** Median wall and CPU milliseconds of one forward + backward pass. */
function step(w: Workload, fused: boolean, runs: number): { median: number; cpu: number } {
  const layer = w.make(fused);
  const x = tf.variable(tf.randomNormal([w.batch, w.steps, w.features]));
  layer.apply(x);
  const vars = [x, ...layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val)];
  const once = () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const t = time(once, { runs, warmup: 2 });
  x.dispose();
  layer.dispose();
  return t;
}

async function main(): Promise<void> {
  const backends: BackendName[] = ['wasm', 'cpu'];
  for (const backend of backends) {
    await initBackend(backend);
    const rows: string[][] = [];
    for (const w of WORKLOADS) {
      const slowRuns = w.steps > 100 ? (QUICK ? 1 : 3) : QUICK ? 3 : 10;
      const plain = step(w, false, slowRuns);
      setSimdEnabled(false);
      const typescript = step(w, true, QUICK ? 3 : 10);
      setSimdEnabled(true);
      const fused = step(w, true, QUICK ? 5 : 20);
      // Samples a second from CPU time: on a loaded machine, closer to what an idle one does.
      const rate = (msPerStep: number) => `${Math.round((w.batch * 1000) / msPerStep).toLocaleString('en-US')}/s`;
      rows.push([
        w.label, ms(plain.median), ms(fused.median), ms(plain.cpu), ms(typescript.cpu), ms(fused.cpu),
        rate(plain.cpu), rate(fused.cpu), `${(plain.cpu / fused.cpu).toFixed(1)}×`, `${(typescript.cpu / fused.cpu).toFixed(1)}×`,
      ]);
    }
    console.log(`\nbackend ${backend}, forward + backward of one batch (median), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    table(['workload', 'wall tfjs', 'wall fused', 'CPU tfjs', 'CPU fused TS', 'CPU fused wasm', 'samples/s tfjs', 'samples/s fused', 'fused/tfjs (CPU)', 'wasm/TS (CPU)'], rows);
  }
}

void main();
